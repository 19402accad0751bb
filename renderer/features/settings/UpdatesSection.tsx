import type { UpdateStatus } from '../../../core/update/status';
import { formatTime, type MessageKey, type Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';

/**
 * App updates in Settings: what is installed, what is coming, and why a downloaded update waits. The
 * "Restart to update" button is the agent's explicit restart; main refuses it during a call anyway
 * (electron/updater.ts), the disabled button only saves a pointless click.
 */

/** The sentence that explains the status; exported for the status-bar hint's tooltip. */
export function updateSummary(t: Translate, s: UpdateStatus): string {
  const version = s.availableVersion ?? '';
  switch (s.state) {
    case 'unsupported':
      return t('updates.state.unsupported');
    case 'disabled':
      return t(`updates.disabled.${s.disabled ?? 'no-feed'}`);
    case 'idle':
      return t('updates.state.idle');
    case 'checking':
      return t('updates.state.checking');
    case 'available':
      return t('updates.state.available', { version });
    case 'downloading':
      return t('updates.state.downloading', { version, percent: s.percent ?? 0 });
    case 'installing':
      return t('updates.state.installing', { version });
    case 'error':
      return t(`updates.error.${s.error?.kind ?? 'other'}`, { version: s.currentVersion, message: s.error?.message ?? '' });
    case 'downloaded':
      return `${t('updates.state.downloaded', { version })} ${blockedText(t, s)}`;
  }
}

function blockedText(t: Translate, s: UpdateStatus): string {
  const window = s.window ?? { start: '', end: '' };
  switch (s.blocked) {
    case 'in-call':
      return t('updates.blocked.in-call');
    case 'in-shift':
      return s.window ? t('updates.blocked.in-shift-window', window) : t('updates.blocked.in-shift');
    case 'outside-window':
      return s.window ? t('updates.blocked.outside-window', window) : t('updates.blocked.no-window');
    case 'awaiting-agent':
      return t('updates.blocked.awaiting-agent');
    case null:
      return '';
  }
}

export function UpdatesSection() {
  const t = useT();
  const status = useAppStore((s) => s.update);
  const locale = useAppStore((s) => s.locale);
  const refused = useAppStore((s) => s.updateInstallError);
  const installUpdate = useAppStore((s) => s.installUpdate);
  if (!status) return null;
  // In window mode the agent may not restart outside the window; in a call nobody may.
  const canRestart = status.state === 'downloaded' && status.blocked !== 'in-call' && !(status.mode === 'window' && status.blocked === 'outside-window');

  return (
    <section className="settings__section" aria-labelledby="settings-updates" data-testid="updates" data-state={status.state} data-blocked={status.blocked ?? ''}>
      <h2 id="settings-updates" className="settings__heading">
        {t('updates.title')}
      </h2>
      <p role="status" data-testid="updates-summary">
        {updateSummary(t, status)}
      </p>
      <p className="field__hint">
        {t('updates.version', { version: status.currentVersion })}
        {status.lastCheckedAt !== null && ` ${t('updates.lastChecked', { time: formatTime(locale, status.lastCheckedAt) })}`}
        {status.state !== 'unsupported' && ` ${t('updates.policy', { mode: t(`updates.mode.${status.mode}` as MessageKey) })}`}
      </p>
      {status.state === 'downloaded' && (
        <button type="button" className="button button--primary" disabled={!canRestart} onClick={() => void installUpdate()} data-testid="update-restart">
          {t('updates.restart')}
        </button>
      )}
      {refused && (
        <p className="field__hint" role="alert" data-testid="update-refused">
          {t('updates.refused', { message: refused })}
        </p>
      )}
    </section>
  );
}

/** A small status-bar hint while an update waits; a click opens Settings. */
export function UpdateHint() {
  const t = useT();
  const status = useAppStore((s) => s.update);
  const goTo = useAppStore((s) => s.goTo);
  if (!status || (status.state !== 'downloaded' && status.state !== 'installing')) return null;
  return (
    <button type="button" className="statusbar__button statusbar__update" onClick={() => goTo('settings')} title={updateSummary(t, status)} data-testid="status-update">
      <span>{status.state === 'installing' ? t('updates.hint.installing') : t('updates.hint')}</span>
    </button>
  );
}
