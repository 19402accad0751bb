import { useEffect, useRef } from 'react';
import { gateAvailable, readinessItems, type ReadinessItem, type ReadinessItemId, type Verdict } from '../../../core/readiness/readiness';
import { formatTime, type Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { CloseIcon } from '../../ui/icons';
import './readiness.css';

const verdictMark: Record<Verdict, string> = { pass: '✓', warn: '!', fail: '✕', skipped: '–' };

function figures(t: Translate, item: ReadinessItem): string | null {
  const v = item.values;
  if (item.id === 'echoCall' && typeof v.mos === 'number') return t('readiness.figures.echo', { rtt: v.rttMs ?? 0, jitter: v.jitterMs ?? 0, loss: v.lossPct ?? 0, mos: v.mos.toFixed(1) });
  if (item.id === 'microphone' && typeof v.levelDb === 'number') return t('readiness.figures.mic', { level: v.levelDb });
  if (item.id === 'sipServer' && typeof v.rttMs === 'number') return t('readiness.figures.sip', { rtt: v.rttMs });
  return null;
}

/**
 * The readiness check: one line per item with a plain-words verdict, the microphone's level meter while
 * it listens, and what the agent can do next. Opened from the status bar, and by itself when a required
 * check stands between the agent and Available.
 */
export function ReadinessDialog() {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const locale = useAppStore((s) => s.locale);
  const state = useAppStore((s) => s.readiness);
  const policy = useAppStore((s) => s.policy.values.ReadinessCheck);
  const presence = useAppStore((s) => s.presence);
  const run = useAppStore((s) => s.runReadiness);
  const close = useAppStore((s) => s.closeReadiness);
  const override = useAppStore((s) => s.overrideReadiness);
  const setPresence = useAppStore((s) => s.setPresence);
  const { open, running, step, micLevel, result } = state;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const gate = gateAvailable(policy, result);
  const byId = new Map<ReadinessItemId, ReadinessItem>(result?.items.map((i) => [i.id, i]) ?? []);
  // The meter: -70 dB (nothing) to -10 dB (loud) across the bar.
  const meter = Math.max(0, Math.min(100, ((micLevel + 70) / 60) * 100));

  return (
    <dialog ref={ref} className="dialog readiness" aria-labelledby="readiness-title" data-testid="readiness" data-overall={result?.overall ?? 'none'} data-running={running} onClose={close}>
      <div className="dialog__header">
        <h2 id="readiness-title">{t('readiness.title')}</h2>
        <button type="button" className="button button--quiet dialog__close" aria-label={t('readiness.close')} onClick={close}>
          <CloseIcon size={16} />
        </button>
      </div>
      <p className="readiness__intro">{t('readiness.intro')}</p>
      {policy.mode === 'required' && <p className="readiness__policy">{t('readiness.required')}</p>}

      <div className="readiness__meter" role="meter" aria-label={t('readiness.meter')} aria-valuemin={-70} aria-valuemax={-10} aria-valuenow={Math.round(micLevel)} data-testid="readiness-meter">
        <span className="readiness__meter-fill" style={{ inlineSize: `${running && step === 'microphone' ? meter : 0}%` }} />
      </div>

      <ul className="readiness__items">
        {readinessItems.map((id) => {
          const item = byId.get(id);
          const now = running && step === id;
          const verdict = item?.verdict;
          const extra = item ? figures(t, item) : null;
          return (
            <li key={id} className={`readiness__item readiness__item--${now ? 'running' : (verdict ?? 'pending')}`} data-testid={`readiness-${id}`} data-verdict={verdict ?? (now ? 'running' : 'pending')} data-reason={item?.reason ?? ''}>
              <span className="readiness__mark" aria-hidden="true">
                {now ? '…' : verdict ? verdictMark[verdict] : '·'}
              </span>
              <span className="readiness__name">{t(`readiness.item.${id}`)}</span>
              <span className="readiness__verdict">{verdict ? t(`readiness.verdict.${verdict}`) : ''}</span>
              {item && item.reason !== 'ok' && <span className="readiness__reason">{t(`readiness.reason.${item.reason}`)}</span>}
              {extra && <span className="readiness__figures">{extra}</span>}
            </li>
          );
        })}
      </ul>

      {running && step && <p className="readiness__progress" role="status">{t('readiness.running', { item: t(`readiness.item.${step}`) })}</p>}
      {!running && result && <p className="readiness__when">{t('readiness.checkedAt', { time: formatTime(locale, result.at) })}</p>}
      {!running && !gate.allow && result && <p className="readiness__blocked" role="alert" data-testid="readiness-blocked">{t('readiness.blocked')}</p>}

      <div className="readiness__actions">
        <button type="button" className="button" data-testid="readiness-run" disabled={running} onClick={() => void run()}>
          {result ? t('readiness.again') : t('readiness.run')}
        </button>
        {!running && result && presence !== 'available' && gate.allow && (
          <button type="button" className="button button--primary" data-testid="readiness-available" onClick={() => { setPresence('available'); close(); }}>
            {t('readiness.goAvailable')}
          </button>
        )}
        {!running && !gate.allow && gate.canOverride && (
          <button type="button" className="button button--danger" data-testid="readiness-override" onClick={override}>
            {t('readiness.override')}
          </button>
        )}
        <button type="button" className="button button--quiet" onClick={close}>
          {t('readiness.close')}
        </button>
      </div>
    </dialog>
  );
}

/** The status bar's entry: the last check's verdict, a click opens the check. */
export function ReadinessButton() {
  const t = useT();
  const result = useAppStore((s) => s.readiness.result);
  const running = useAppStore((s) => s.readiness.running);
  const mode = useAppStore((s) => s.policy.values.ReadinessCheck.mode);
  const openIt = useAppStore((s) => s.openReadiness);
  if (mode === 'off') return null;
  const overall = result?.overall ?? 'none';
  return (
    <button type="button" className={`statusbar__button readiness-button readiness-button--${running ? 'running' : overall}`} data-testid="open-readiness" data-overall={overall} onClick={openIt} title={t('readiness.open')}>
      <span className="readiness-button__dot" aria-hidden="true" />
      <span>{t('readiness.button', { status: t(`readiness.status.${overall}`) })}</span>
    </button>
  );
}
