import { useEffect, useId, useState } from 'react';
import { formatDuration, wrapUpEndsAt } from '../../../core/call/rules';
import { presences, type Presence } from '../../../core/presence';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';

/** Every second: the status bar's own timer, and the trigger of the team's wrap-up limit. */
function useSecond(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * The agent's presence in the status bar: one picker for presence and break reason ("On a break · Lunch"),
 * the time in the current state, and during after-call work the countdown of the team's wrap-up limit.
 * The store's presence slice stays the one writer; this only asks it.
 */
export function PresenceControl() {
  const t = useT();
  const id = useId();
  const now = useSecond();
  const locale = useAppStore((s) => s.locale);
  const presence = useAppStore((s) => s.presence);
  const reasonId = useAppStore((s) => s.presenceReason);
  const since = useAppStore((s) => s.presenceSince);
  const config = useAppStore((s) => s.presenceConfig);
  const setPresence = useAppStore((s) => s.setPresence);
  const loadConfig = useAppStore((s) => s.loadPresenceConfig);
  const checkWrapUpLimit = useAppStore((s) => s.checkWrapUpLimit);
  const userId = useAppStore((s) => s.user?.id);

  useEffect(() => {
    if (userId) void loadConfig();
  }, [userId, loadConfig]);
  useEffect(() => checkWrapUpLimit(now), [now, checkWrapUpLimit]);

  const reasons = config?.reasons ?? [];
  // One option per presence, and one per break reason in place of the bare "On a break" when the team has reasons.
  const value = presence === 'break' && reasonId ? `break:${reasonId}` : presence;
  const choose = (v: string) => {
    if (v.startsWith('break:')) setPresence('break', v.slice('break:'.length));
    else setPresence(v as Presence);
  };
  const ends = wrapUpEndsAt(presence, since, config?.floor.wrapUpLimitSeconds ?? null);
  const reason = reasons.find((r) => r.id === reasonId);

  return (
    <div className="statusbar__item statusbar__presence" data-testid="status-presence" data-presence={presence} data-reason={reason?.code ?? ''}>
      <span className={`presence-dot presence-dot--${presence}`} aria-hidden="true" />
      <label htmlFor={id} className="visually-hidden">
        {t('presence.label')}
      </label>
      <select id={id} className="statusbar__select" value={value} onChange={(e) => choose(e.target.value)} data-testid="presence-select">
        {presences.map((p) =>
          p === 'break' && reasons.length > 0 ? (
            <optgroup key={p} label={t('presence.break')}>
              {/* The bare break stays pickable only while it is the current state (restored without a reason). */}
              {value === 'break' && <option value="break">{t('presence.break')}</option>}
              {reasons.map((r) => (
                <option key={r.id} value={`break:${r.id}`}>
                  {t('presence.breakWith', { reason: r.labels[locale] })}
                </option>
              ))}
            </optgroup>
          ) : (
            <option key={p} value={p}>
              {t(`presence.${p}`)}
            </option>
          ),
        )}
      </select>
      <span className="statusbar__timer" data-testid="presence-timer" title={t('presence.timeInState')}>
        {formatDuration(now - since)}
      </span>
      {ends !== null && (
        <span className="statusbar__countdown" role="timer" data-testid="wrapup-countdown" title={t('presence.wrapUpEndsHint', { next: t(`presence.${config!.floor.wrapUpNext}`) })}>
          {t('presence.wrapUpEnds', { time: formatDuration(Math.max(0, ends - now)) })}
        </span>
      )}
    </div>
  );
}
