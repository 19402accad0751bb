import fc from 'fast-check';
import type { z } from 'zod';

/**
 * fast-check arbitraries read from zod schemas (core/wire): mostly values of the right shape (so a
 * request gets past the first check and exercises what is behind it), with hostile boundary values
 * mixed in at every leaf: empty, huge, NUL, lone surrogates, bidi controls, deep nesting, prototype
 * keys, numbers at their limits, wrong types.
 */

/** 60,000 nested arrays, about 120 kB of JSON: under the body limit, over any recursive walker's stack (issue 12 item 13). */
export const deepJson = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
/** Nesting JSON.stringify still handles in this process (the 60,000-deep body is sent as raw text). */
const deep = JSON.parse(`${"[".repeat(3_000)}${"]".repeat(3_000)}`) as unknown;

export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  'invoice\u202Egpj.exe',
  '\u2066\u202Bbidi\u202C\u2069',
  '\uFEFF\u200B',
  '<a'.repeat(2_000),
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  'v1.0.9999999999999999.x',
  '9'.repeat(400),
  'é'.repeat(5_000),
  'x'.repeat(100_001),
];

export const hostileNumbers = [0, -0, -1, 1, 0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324];

/** Objects whose keys poison naive merges; JSON.parse makes `__proto__` an own key, as a request body would. */
const prototypeObjects = [
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
  JSON.parse('{"__proto__":null,"toString":1,"valueOf":"x","hasOwnProperty":[]}') as unknown,
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom<unknown>(null, true, false, [], {}, [[[]]], deep, ...prototypeObjects),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

type Check = { check?: string; value?: unknown; inclusive?: boolean; minimum?: number; maximum?: number; format?: string; pattern?: RegExp };
type Def = {
  type: string;
  format?: string;
  pattern?: RegExp;
  checks?: { _zod: { def: Check } }[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
};
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): Check[] => (def.checks ?? []).map((c) => c._zod.def);

function stringOf(def: Def): fc.Arbitrary<string> {
  if (def.format === 'uuid' || def.format === 'guid') return fc.uuid();
  if (def.format === 'email') return fc.emailAddress();
  const checks = checksOf(def);
  const max = checks.find((c) => c.check === 'max_length')?.maximum;
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const maxLength = Math.min(max ?? 60, 60);
  const plain = fc.string({ minLength: Math.min(min, maxLength), maxLength });
  const edges: string[] = [];
  if (max !== undefined && max <= 200_000) edges.push('x'.repeat(max), 'x'.repeat(max + 1));
  if (min > 0) edges.push('x'.repeat(min - 1));
  return edges.length ? fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : plain;
}

function numberOf(def: Def): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const int = checks.some((c) => c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32'));
  const lo = checks.find((c) => c.check === 'greater_than')?.value as number | undefined;
  const hi = checks.find((c) => c.check === 'less_than')?.value as number | undefined;
  const edges = [lo, hi, lo === undefined ? undefined : lo - 1, hi === undefined ? undefined : hi + 1].filter((n): n is number => n !== undefined);
  const inRange = int
    ? fc.integer({ min: Math.max(lo ?? -1000, Number.MIN_SAFE_INTEGER), max: Math.min(hi ?? 1_000_000, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min: lo ?? -1e6, max: hi ?? 1e6, noNaN: true, noDefaultInfinity: true });
  return edges.length ? fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : inRange;
}

/** An arbitrary for values of `schema`, with a hostile value instead of a valid one about one leaf in `hostility`. */
export function arbitraryOf(schema: z.ZodType, hostility = 6): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const spoil = (valid: fc.Arbitrary<unknown>) => fc.oneof({ weight: hostility - 1, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
  switch (def.type) {
    case 'string':
      return spoil(stringOf(def));
    case 'number':
      return spoil(numberOf(def));
    case 'boolean':
      return spoil(fc.boolean());
    case 'enum':
      return spoil(fc.constantFrom(...Object.values(def.entries!)));
    case 'literal':
      return spoil(fc.constantFrom(...def.values!));
    case 'optional':
      return fc.option(arbitraryOf(def.innerType!, hostility), { nil: undefined });
    case 'nullable':
      return fc.option(arbitraryOf(def.innerType!, hostility), { nil: null });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      return fc.option(arbitraryOf(def.innerType!, hostility), { nil: undefined });
    case 'pipe':
      return arbitraryOf(def.in!, hostility);
    case 'union':
      return fc.oneof(...def.options!.map((o) => arbitraryOf(o, hostility)));
    case 'array':
      return spoil(fc.array(arbitraryOf(def.element!, hostility), { maxLength: 4 }));
    case 'record':
      return spoil(fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), arbitraryOf(def.valueType!, hostility), { maxKeys: 4 }));
    case 'object': {
      const fields = Object.fromEntries(Object.entries(def.shape!).map(([k, v]) => [k, arbitraryOf(v, hostility)]));
      const record = fc.record(fields).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
      const withExtra = fc.tuple(record, fc.constantFrom(...prototypeObjects)).map(([o, extra]) => ({ ...(extra as object), ...o }));
      return fc.oneof({ weight: hostility, arbitrary: record }, { weight: 1, arbitrary: withExtra }, { weight: 1, arbitrary: hostileValue });
    }
    default:
      // unknown, any and anything not modelled: any JSON, or a hostile value.
      return fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileValue);
  }
}
