import { describe, expect, test } from 'vitest';
import { isWellFormed, toWellFormed } from './wellFormed';

describe('wellFormed', () => {
  test('pairs are fine, lone halves are not and become U+FFFD', () => {
    expect(isWellFormed('emoji 👩‍💻 中文')).toBe(true);
    expect(isWellFormed('a\uD800b')).toBe(false);
    expect(isWellFormed('a\uDC00')).toBe(false);
    expect(isWellFormed('\uDBFF')).toBe(false);
    expect(toWellFormed('a\uD800b\uDC00c😀')).toBe('a\uFFFDb\uFFFDc😀');
  });
});
