import { describe, expect, test } from 'vitest';
import { illFormedTextPath, maxJsonDepth, nestsDeeperThan } from './jsonShape';
import { PushMutation } from './wire';

const nested = (levels: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

describe('issue 12 item 13 (bad input): JSON shape checks that never recurse', () => {
  test('issue 12 item 13 (bad input): depth is measured without recursion, at the bound exactly', () => {
    expect(nestsDeeperThan('x')).toBe(false);
    expect(nestsDeeperThan(nested(maxJsonDepth))).toBe(false);
    expect(nestsDeeperThan(nested(maxJsonDepth + 1))).toBe(true);
    expect(nestsDeeperThan(nested(200_000))).toBe(true);
  });

  test('issue 12 item 13 (bad input): the push schema refuses args nested 60,000 deep with a reason instead of overflowing the stack', () => {
    const r = PushMutation.safeParse({ id: 1, name: 'updateTicket', createdAt: 1, args: { ticketId: 't', base: nested(60_000) } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([`mutation args nest deeper than ${maxJsonDepth} levels`]);
  });

  test('issue 12 item 13 (bad input): lone surrogates are found in values and keys, with their path; pairs pass', () => {
    expect(illFormedTextPath({ a: ['ok 👍', { b: 'x\ud800' }] })).toEqual(['a', 1, 'b']);
    expect(illFormedTextPath({ ['k\udc00']: 1 })).toEqual(['k\udc00']);
    expect(illFormedTextPath({ a: ['ok 👍', '已回电'] })).toBeNull();
    const r = PushMutation.safeParse({ id: 1, name: 'addComment', createdAt: 1, args: { body: 'refund \ud83d' } });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['args.body', expect.stringContaining('surrogate')]]);
  });
});
