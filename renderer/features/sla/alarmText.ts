import type { Locale } from '../../../core/locale';
import type { Alarm } from '../../../core/wire/sla';
import { type Translate, translate } from '../../i18n/i18n';

/** A time in the viewer's language, on the team's clock, with the zone named ("14:05 GMT+8", "14:05 MEZ"). */
export function teamTime(locale: Locale, at: number, timeZone: string, withDate = false): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    ...(withDate ? { month: 'short', day: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

/** A target as the viewer reads it: "45 s", "2 min", "4 h" (Intl unit formatting, the viewer's language). */
export function targetText(locale: Locale, seconds: number): string {
  const [value, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

export const levelKey = { warning: 'sla.level.warning', breach: 'sla.level.breach', escalation: 'sla.level.escalation', escalation_admins: 'sla.level.escalation_admins' } as const;
export const kindKey = { first_response: 'sla.kind.first_response', next_response: 'sla.kind.next_response', resolution: 'sla.kind.resolution' } as const;
const noticeKey = { warning: 'sla.notice.warning', breach: 'sla.notice.breach', escalation: 'sla.notice.escalation', escalation_admins: 'sla.notice.escalation_admins' } as const;

export function alarmHeadline(t: Translate, alarm: Alarm): string {
  return t(noticeKey[alarm.level], { number: alarm.ticketNumber ?? '—' });
}

/** The OS notification for an alarm: the ticket and what is late, on the team's clock. Subjects are plain text in a notification. */
export function alarmNotice(locale: Locale, alarm: Alarm): { title: string; body: string } {
  const t: Translate = (key, params) => translate(locale, key, params);
  const due = alarm.dueAt === null ? '—' : teamTime(locale, alarm.dueAt, alarm.teamTimeZone);
  return {
    title: alarmHeadline(t, alarm).slice(0, 200),
    body: t('sla.notice.body', { kind: t(kindKey[alarm.timerKind]), due, team: alarm.teamName, subject: alarm.subject }).slice(0, 1000),
  };
}
