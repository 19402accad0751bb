import type { z } from 'zod';

/** A socket message parsed with a wire schema; anything else (not JSON, wrong shape) is null. */
export function parseJson<S extends z.ZodType>(text: string, schema: S): z.output<S> | null {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
