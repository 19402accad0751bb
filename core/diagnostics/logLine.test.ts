import { describe, expect, it } from 'vitest';
import { formatLogEntry, levelKept, levelOfLine } from './logLine';

describe('log lines', () => {
  it('files failures as warnings and the rest as info', () => {
    expect(levelOfLine('[phone] REGISTER not sent: socket closed')).toBe('warn');
    expect(levelOfLine('[chat c1] message m1 refused: 413')).toBe('warn');
    expect(levelOfLine('[phone] sip.js warn sip.Transport: WebSocket closed unexpectedly')).toBe('warn');
    expect(levelOfLine('[phone] registration idle -> registering')).toBe('info');
  });

  it('keeps entries at or above the threshold', () => {
    expect(levelKept('error', 'warn')).toBe(true);
    expect(levelKept('info', 'warn')).toBe(false);
    expect(levelKept('debug', 'debug')).toBe(true);
  });

  it('writes one entry per line, indenting continuation lines so a reader can tell entries apart', () => {
    expect(formatLogEntry({ at: Date.UTC(2026, 10, 24, 1, 2, 3, 4), level: 'warn', line: 'a\nb' })).toBe('2026-11-24T01:02:03.004Z WARN  a\n    b');
  });
});
