import { useEffect, useState } from 'react';
import './sla.css';
import type { Locale } from '../../../core/locale';
import type { TicketTimers as Timers } from '../../../core/wire/sla';
import type { Translate } from '../../i18n/i18n';
import { kindKey, targetText, teamTime } from './alarmText';

const stateKey = { active: 'sla.state.active', paused: 'sla.state.paused', met: 'sla.state.met', missed: 'sla.state.missed', abandoned: 'sla.state.abandoned' } as const;

/**
 * A ticket's SLA timers in its detail view: each target, its state (active, paused, met, missed) and when it
 * is or was due, on the team's clock. Re-read whenever the ticket changes (its `version`).
 */
export function TicketTimers(props: { ticketId: string; version: number; locale: Locale; t: Translate; load(ticketId: string): Promise<Timers> }) {
  const { ticketId, version, locale, t, load } = props;
  const [timers, setTimers] = useState<Timers | null>(null);
  useEffect(() => {
    let live = true;
    load(ticketId)
      .then((v) => live && setTimers(v))
      // Offline or the server says no: the ticket's own due time still shows in the list.
      .catch(() => live && setTimers(null));
    return () => {
      live = false;
    };
  }, [ticketId, version, load]);
  if (!timers || timers.timers.length === 0) return null;
  return (
    <ul className="sla-timers" aria-label={t('sla.timers.label')} data-testid="sla-timers">
      {timers.timers.map((x, i) => (
        <li key={i} className={`sla-timer sla-timer--${x.state}`} data-kind={x.kind} data-state={x.state}>
          <span className="sla-timer__kind">{t(kindKey[x.kind])}</span>
          <span className="sla-timer__state">{t(stateKey[x.state])}</span>
          <span className="sla-timer__when">
            {x.state === 'paused'
              ? t('sla.timers.left', { left: targetText(locale, Math.max(1, Math.round((x.remainingMs ?? 0) / 1000))) })
              : x.stoppedAt !== null
                ? t('sla.timers.done', { time: teamTime(locale, x.stoppedAt, timers.timeZone, true) })
                : x.dueAt !== null
                  ? t('sla.alarm.due', { time: teamTime(locale, x.dueAt, timers.timeZone, true) })
                  : null}
            {' · '}
            {t('sla.timers.target', { target: targetText(locale, x.targetSeconds) })}
          </span>
        </li>
      ))}
    </ul>
  );
}
