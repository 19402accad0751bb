import { useEffect } from 'react';
import type { MissedCall } from '../../../core/call/missed';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { CallLogEntry } from '../../stores/phoneSlice';
import { outcomeKeys } from '../inbox/CallLine';
import { dateTime } from '../tickets/format';

const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * Missed calls (with why they were missed) and the call history from the local call log, with a
 * call-back button on each. Numbers and names came from SIP headers: shown as text, never as links.
 */
export function CallHistory(props: { canCall: boolean }) {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const missed = useAppStore((s) => s.phone.missed);
  const history = useAppStore((s) => s.phone.history);
  const refresh = useAppStore((s) => s.refreshCallHistory);
  const see = useAppStore((s) => s.seeMissedCalls);
  const dial = useAppStore((s) => s.dial);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  // Seen here: the badge on the Phone page's button clears (also for a call missed while the page is open).
  useEffect(() => see(), [see, missed.length]);

  const callBack = (number: string) => void dial(number);
  return (
    <div className="history" data-testid="call-history">
      <section aria-labelledby="missed-title" className="history__section">
        <h2 id="missed-title" className="phone__section-title">
          {t('phone.missed.title')} {missed.length > 0 && <span className="history__count">{missed.length}</span>}
        </h2>
        {missed.length === 0 ? (
          <p className="history__empty">{t('phone.missed.none')}</p>
        ) : (
          <ul className="history__list" data-testid="missed-calls">
            {missed.map((m: MissedCall) => (
              <li key={m.id} className="history__row history__row--missed" data-testid="missed-call" data-reason={m.reason}>
                <span className="history__who">{m.remoteName ? `${m.remoteName} · ${m.remote}` : m.remote}</span>
                <span className="history__reason">{t(`phone.missed.reason.${m.reason}`)}</span>
                <time className="history__when">{dateTime(locale, m.at)}</time>
                <button type="button" className="button button--small" disabled={!props.canCall} onClick={() => callBack(m.remote)}>
                  {t('phone.history.callBack')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="history-title" className="history__section">
        <h2 id="history-title" className="phone__section-title">
          {t('phone.history.title')}
        </h2>
        {history.length === 0 ? (
          <p className="history__empty">{t('phone.history.none')}</p>
        ) : (
          <ul className="history__list" data-testid="call-history-list">
            {history.map((c: CallLogEntry) => {
              const key = outcomeKeys[c.outcome];
              return (
                <li key={c.id} className={`history__row history__row--${c.outcome}`} data-testid="history-call" data-outcome={c.outcome}>
                  <span className="history__who">{c.remoteName ? `${c.remoteName} · ${c.remote}` : c.remote}</span>
                  <span className="history__reason">
                    {`${t(c.direction === 'inbound' ? 'inbox.call.inbound' : 'inbox.call.outbound')} · ${key ? t(key) : c.outcome} · ${duration(c.durationMs)}${c.disposition ? ` · ${c.disposition}` : ''}`}
                  </span>
                  <time className="history__when">{dateTime(locale, c.startedAt)}</time>
                  <button type="button" className="button button--small" disabled={!props.canCall} onClick={() => callBack(c.remote)}>
                    {t('phone.history.callBack')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
