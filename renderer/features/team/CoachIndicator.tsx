import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { useCoaching } from './useCoaching';

/**
 * What the agent sees of coaching, on every page: who is coaching and in which mode (silent listening is
 * shown too unless the deployment's policy hides it), and a Raise hand button while on a call.
 */
export function CoachIndicator() {
  const t = useT();
  const { session, snap } = useCoaching();
  const role = useAppStore((s) => s.user?.role);
  const onCall = useAppStore((s) => s.phone.calls.some((v) => v.call.state === 'established' || v.call.state === 'held'));
  const c = snap.coached;
  const shown = c && (c.mode !== 'listen' || c.showListen);
  if (role !== 'agent' || !session || (!shown && !onCall && !snap.handRaised)) return null;
  return (
    <aside className="coach-indicator" aria-label={t('coach.col.coaching')}>
      {shown && c && (
        <p className={`coach-indicator__who coach-indicator__who--${c.mode}`} role="status" data-testid="coach-indicator" data-mode={c.mode} data-lead={c.lead.displayName}>
          <span className="coach-indicator__dot" aria-hidden="true" />
          {t(`coach.agent.${c.mode}`, { name: c.lead.displayName })}
        </p>
      )}
      {snap.handRaised && <p className="coach-indicator__hand">{t('coach.handUp')}</p>}
      {(onCall || snap.handRaised) && (
        <button type="button" className="button" data-testid="raise-hand" aria-pressed={snap.handRaised} onClick={() => void session.raiseHand(!snap.handRaised)}>
          {snap.handRaised ? t('coach.lowerHand') : t('coach.raiseHand')}
        </button>
      )}
    </aside>
  );
}
