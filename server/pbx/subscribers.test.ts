import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ha1, subscriberTable, writeSubscriberTable } from './subscribers';

describe('the embedded PBX subscriber table', () => {
  it('holds RFC 2617 HA1 digests, never the clear SIP password', () => {
    const table = subscriberTable([{ username: '1001', password: 'test1001' }], '127.0.0.1');
    // The test stack's fixed table (tests/stack/kamailio/db/subscriber) has the same digest for 1001.
    expect(ha1('1001', '127.0.0.1', 'test1001')).toBe('43dbbce67065c76ce99ecbd5780210c3');
    expect(table).toContain('1:1001:127.0.0.1:43dbbce67065c76ce99ecbd5780210c3:');
    expect(table).not.toContain('test1001');
  });

  it('leaves out user names that would break db_text rows (":" or a newline)', () => {
    const table = subscriberTable([{ username: 'a:b', password: 'x' }, { username: 'x\n2:evil', password: 'x' }, { username: '1002', password: 'p' }], 'd');
    expect(table.split('\n').filter(Boolean)).toHaveLength(2);
    expect(table).toContain(':1002:d:');
  });

  it('rewrites the file only when it changed, readable by its owner only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'subs-'));
    const t = subscriberTable([{ username: '1001', password: 'a' }], 'd');
    expect(writeSubscriberTable(dir, t)).toBe(true);
    expect(writeSubscriberTable(dir, t)).toBe(false);
    expect(statSync(path.join(dir, 'subscriber')).mode & 0o777).toBe(0o600);
    expect(writeSubscriberTable(dir, subscriberTable([{ username: '1001', password: 'b' }], 'd'))).toBe(true);
    expect(readFileSync(path.join(dir, 'subscriber'), 'utf8')).toContain(ha1('1001', 'd', 'b'));
  });
});
