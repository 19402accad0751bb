import { isWellFormed } from '../chat/wellFormed';

/**
 * Shape checks on untrusted JSON values, written as loops with an explicit stack: they run before
 * anything recursive (a schema, JSON.stringify, a deep compare) sees the value, so a body of 60,000
 * nested arrays (about 120 kB, under the body limit) is refused instead of overflowing the call stack.
 */

/** Deeper than any body this system sends (a push's `base` holds field values: a few levels). */
export const maxJsonDepth = 64;

const children = (value: object): [string | number, unknown][] => (Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value));

/** True when arrays and objects nest more than `max` levels (a scalar is depth 0, `[]` is 1). */
export function nestsDeeperThan(value: unknown, max: number = maxJsonDepth): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (typeof frame.value !== 'object' || frame.value === null) continue;
    if (frame.depth >= max) return true;
    for (const [, child] of children(frame.value)) stack.push({ value: child, depth: frame.depth + 1 });
  }
  return false;
}

/**
 * The path of the first string (value or key) with a lone UTF-16 surrogate, or null. JSON may carry
 * "\ud800", but PostgreSQL stores UTF-8, where it becomes U+FFFD: the text would be stored altered.
 * Call it on a value already bounded by `nestsDeeperThan`.
 */
export function illFormedTextPath(value: unknown): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string' && !isWellFormed(v)) return path;
    if (typeof v !== 'object' || v === null) continue;
    for (const [key, child] of children(v)) {
      if (typeof key === 'string' && !isWellFormed(key)) return [...path, key];
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}
