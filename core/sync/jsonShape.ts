import { isWellFormed } from '../chat/wellFormed';

/**
 * Shape checks on untrusted JSON values, written as loops with an explicit stack: they run before
 * anything recursive (a schema, JSON.stringify, a deep compare) sees the value, so a body of 60,000
 * nested arrays (about 120 kB, under the body limit) is refused instead of overflowing the call stack.
 */

/** Deeper than any body this system sends (a push's `base` holds field values: a few levels). */
export const maxJsonDepth = 64;

type Frame = { value: unknown; depth: number; path: readonly (string | number)[] };

function* walk(root: unknown, maxDepth: number): Generator<Frame, void, undefined> {
  const stack: Frame[] = [{ value: root, depth: 0, path: [] }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    yield frame;
    const { value, depth, path } = frame;
    if (typeof value !== 'object' || value === null || depth > maxDepth) continue;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) stack.push({ value: child, depth: depth + 1, path: [...path, key] });
  }
}

/** True when arrays and objects nest more than `max` levels (a scalar is depth 0, `[]` is 1). */
export function nestsDeeperThan(value: unknown, max: number = maxJsonDepth): boolean {
  for (const { value: v, depth } of walk(value, max)) {
    if (depth >= max && typeof v === 'object' && v !== null) return true;
  }
  return false;
}

/**
 * The path of the first string (value or key) with a lone UTF-16 surrogate, or null. JSON may carry
 * "\ud800", but PostgreSQL stores UTF-8, where it becomes U+FFFD: the text would be stored altered.
 * Call it on a value already bounded by `nestsDeeperThan`.
 */
export function illFormedTextPath(value: unknown): (string | number)[] | null {
  for (const { value: v, path } of walk(value, Number.POSITIVE_INFINITY)) {
    if (typeof v === 'string' && !isWellFormed(v)) return [...path];
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const key = Object.keys(v).find((k) => !isWellFormed(k));
      if (key !== undefined) return [...path, key];
    }
  }
  return null;
}
