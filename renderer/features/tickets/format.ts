import type { Locale } from '../../../core/locale';
import type { EditableField } from '../../../core/tickets/model';
import type { Translate } from '../../i18n/i18n';
import { noSla } from '../../services/db/rows';

const units: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 hours", "5 minutes ago", "3小时后": the largest whole unit, in the agent's language. */
export function relativeTime(locale: Locale, at: number, now: number): string {
  const diff = at - now;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.trunc(diff / ms), unit);
  }
  return rtf.format(0, 'minute');
}

export function dateTime(locale: Locale, at: number): string {
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(at);
}

export type SlaInfo = { text: string; overdue: boolean } | null;

export function slaInfo(t: Translate, locale: Locale, slaDue: number, now: number): SlaInfo {
  if (slaDue === noSla) return null;
  const when = relativeTime(locale, slaDue, now);
  return slaDue < now ? { text: t('tickets.sla.overdue', { when }), overdue: true } : { text: t('tickets.sla.due', { when }), overdue: false };
}

/** A field's value as the agent reads it, for conflict notices (values come from the server, so checked, not trusted). */
export function fieldValueText(t: Translate, field: EditableField, value: unknown, me: { id: string; displayName: string }): string {
  switch (field) {
    case 'status':
      return typeof value === 'string' && ['new', 'open', 'pending', 'solved', 'closed'].includes(value) ? t(`tickets.status.${value as 'new'}`) : String(value);
    case 'priority':
      return typeof value === 'string' && ['low', 'normal', 'high', 'urgent'].includes(value) ? t(`tickets.priority.${value as 'low'}`) : String(value);
    case 'assigneeId':
      if (value === null) return t('tickets.assignee.none');
      return value === me.id ? t('tickets.assignee.me', { name: me.displayName }) : t('tickets.assignee.other');
    case 'tags':
      return Array.isArray(value) ? value.map(String).join(', ') || '—' : String(value);
    case 'subject':
      return typeof value === 'string' ? value : String(value);
  }
}

export const fieldLabelKey = {
  subject: 'tickets.detail.subject',
  status: 'tickets.detail.status',
  priority: 'tickets.detail.priority',
  assigneeId: 'tickets.detail.assignee',
  tags: 'tickets.detail.tags',
} as const satisfies Record<EditableField, string>;
