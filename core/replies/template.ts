import type { Locale } from '../locale';
import { neutralizeText } from '../chat/safeText';
import type { ReplyBodies } from './model';

/**
 * Quick-reply templates: `{{customer.name}}` style placeholders filled from a fixed table of known
 * variables. Nothing is evaluated: a placeholder is looked up by its exact (case-insensitive) name in a
 * Map, so `{{constructor.name}}`, `{{__proto__}}` or `{{constructor.constructor('alert(1)')()}}` are
 * simply unknown. Values are inserted once, as plain text: a customer called "{{agent.name}}" stays
 * "{{agent.name}}", and bidi or control characters in a value are removed so a customer's name
 * cannot reverse the agent's sentence.
 */

export type TemplateContext = {
  customer?: { name?: string | null; firstName?: string | null; email?: string | null; phone?: string | null };
  agent?: { name?: string | null; firstName?: string | null };
  ticket?: { id?: string | null; number?: number | null; subject?: string | null };
  team?: { name?: string | null };
  company?: { name?: string | null };
};

type Value = string | number | null | undefined;

const firstWord = (name: Value): Value => {
  if (typeof name !== 'string') return name;
  const trimmed = name.trim();
  // Chinese names have no space and are used whole ("李娜您好"); Latin names use the first word.
  return trimmed.split(/\s+/)[0] ?? trimmed;
};

/** Every variable a template may use, with how to read it from the context. */
const variables: ReadonlyMap<string, (c: TemplateContext) => Value> = new Map<string, (c: TemplateContext) => Value>([
  ['customer.name', (c) => c.customer?.name],
  ['customer.firstName', (c) => c.customer?.firstName ?? firstWord(c.customer?.name)],
  ['customer.email', (c) => c.customer?.email],
  ['customer.phone', (c) => c.customer?.phone],
  ['agent.name', (c) => c.agent?.name],
  ['agent.firstName', (c) => c.agent?.firstName ?? firstWord(c.agent?.name)],
  ['ticket.id', (c) => c.ticket?.id],
  // Shown as agents and customers see it everywhere else: #1042. Null for a ticket created offline.
  ['ticket.number', (c) => (typeof c.ticket?.number === 'number' ? `#${c.ticket.number}` : null)],
  ['ticket.subject', (c) => c.ticket?.subject],
  ['team.name', (c) => c.team?.name],
  ['company.name', (c) => c.company?.name],
]);
const byLowerName = new Map([...variables.keys()].map((name) => [name.toLowerCase(), name]));

/** The names of all known variables, for the editor's "insert variable" menu. */
export const templateVariables: readonly string[] = [...variables.keys()];

/**
 * `{{` then anything without braces then `}}`. The inner part is trimmed afterwards rather than matched
 * with `\s*` on both sides: that pattern backtracks quadratically on "{{" followed by a long run of
 * spaces, and template bodies can come from anywhere.
 */
const placeholder = /\{\{([^{}]*)\}\}/g;
/** An unknown placeholder is reported with at most this many characters. */
const maxReportedName = 60;

export type FilledTemplate = {
  text: string;
  /** Placeholders that are not variables at all (typos, or something hostile); left as written. */
  unknown: string[];
  /** Known variables with no value in this context; left visible as the placeholder for the agent to fill. */
  missing: string[];
};

export function fillTemplate(body: string, context: TemplateContext): FilledTemplate {
  const unknown = new Set<string>();
  const missing = new Set<string>();
  const text = body.replace(placeholder, (whole, inner: string) => {
    const name = byLowerName.get(inner.trim().toLowerCase());
    if (name === undefined) {
      unknown.add(inner.trim().slice(0, maxReportedName));
      return whole;
    }
    const value = variables.get(name)?.(context);
    const shown = value === null || value === undefined ? '' : neutralizeText(String(value)).text.replace(/\s+/g, ' ').trim();
    if (shown === '') {
      missing.add(name);
      return whole;
    }
    return shown;
  });
  return { text, unknown: [...unknown], missing: [...missing] };
}

/** Known variables a body uses, in order of first use (for previews and the editor's checks). */
export function usedVariables(body: string): { known: string[]; unknown: string[] } {
  const known = new Set<string>();
  const unknown = new Set<string>();
  for (const [, inner] of body.matchAll(placeholder)) {
    const name = byLowerName.get(inner!.trim().toLowerCase());
    if (name === undefined) unknown.add(inner!.trim().slice(0, maxReportedName));
    else known.add(name);
  }
  return { known: [...known], unknown: [...unknown] };
}

export type ReplyVariant = {
  language: Locale;
  body: string;
  /**
   * How the body was chosen: the conversation's language, the other Chinese script (zh-CN for zh-TW
   * or back: readable, but the agent may want to adjust wording), English, or whatever exists.
   */
  match: 'exact' | 'other-chinese' | 'english' | 'any';
  fallback: boolean;
};

const otherChinese: Partial<Record<Locale, Locale>> = { 'zh-CN': 'zh-TW', 'zh-TW': 'zh-CN' };
const anyOrder: readonly Locale[] = ['en', 'zh-CN', 'zh-TW'];

/** The body to insert for a conversation in `language` (null: language unknown, English first). */
export function pickVariant(reply: { bodies: ReplyBodies }, language: Locale | null): ReplyVariant | null {
  const has = (l: Locale | undefined): l is Locale => l !== undefined && (reply.bodies[l] ?? '').trim() !== '';
  const variant = (l: Locale, match: ReplyVariant['match']): ReplyVariant => ({
    language: l,
    body: reply.bodies[l]!,
    match,
    fallback: match !== 'exact',
  });
  if (language !== null && has(language)) return variant(language, 'exact');
  const sibling = language === null ? undefined : otherChinese[language];
  if (has(sibling)) return variant(sibling, 'other-chinese');
  if (has('en')) return variant('en', 'english');
  const any = anyOrder.find((l) => has(l));
  return any === undefined ? null : variant(any, 'any');
}
