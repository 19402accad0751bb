import { describe, expect, test } from 'vitest';
import { createPostingsCollector, postingCount } from './postings';

describe('postings collector', () => {
  test('groups entries by key in arrival order and merges the bits of a repeated entry', () => {
    const c = createPostingsCollector();
    const a = c.newKey();
    const b = c.newKey();
    const empty = c.newKey();
    c.add(b, 0, 1);
    c.add(a, 0, 2);
    c.add(a, 0, 4);
    c.add(b, 3, 8);
    c.add(a, 5, 1);
    const table = c.freeze();
    const of = (k: number) => {
      const out: Array<[number, number]> = [];
      for (let i = table.offsets[k]!; i < table.offsets[k + 1]!; i++) out.push([table.entries[i]!, table.bits[i]!]);
      return out;
    };
    expect(of(a)).toEqual([[0, 6], [5, 1]]);
    expect(of(b)).toEqual([[0, 1], [3, 8]]);
    expect(of(empty)).toEqual([]);
    expect([postingCount(table, a), postingCount(table, b), postingCount(table, empty)]).toEqual([2, 2, 0]);
  });
});
