import { PresenceControl } from './PresenceControl';
import { en } from '../../i18n/en';
import { formatTime, type MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ReadinessButton } from '../readiness/ReadinessDialog';
import { UpdateHint } from '../settings/UpdatesSection';
import { CloudIcon, CloudOffIcon, KeyboardIcon, PhoneIcon, SignOutIcon, SyncIcon } from '../../ui/icons';

/**
 * Always visible at the bottom: what the agent chose (presence), whether calls can reach them (phone)
 * and whether their work is reaching the server (sync). Phone and sync are live regions, so a screen
 * reader hears "Phone: reconnecting…" without moving focus.
 */
export function StatusBar(props: { onShowShortcuts(): void }) {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const sip = useAppStore((s) => s.sip);
  const sync = useAppStore((s) => s.sync);
  const user = useAppStore((s) => s.user);
  const logout = useAppStore((s) => s.logout);

  const phoneText = t('phone.status.text', { state: t(`phone.state.${sip.state}`) });
  // Reasons are codes from the phone slice (auth-rejected, transport-lost, …); an unknown one is shown as is.
  const reasonKey = `phone.reason.${sip.reason ?? ''}`;
  const phoneReason = sip.reason === null ? null : reasonKey in en ? t(reasonKey as MessageKey) : sip.reason;
  const SyncPhaseIcon = sync.state === 'offline' ? CloudOffIcon : sync.state === 'syncing' ? SyncIcon : CloudIcon;
  const syncDetails = [
    sync.pendingCount > 0 ? t('sync.pending', { count: sync.pendingCount }) : null,
    sync.lastSyncedAt === null ? t('sync.neverSynced') : t('sync.lastSynced', { time: formatTime(locale, sync.lastSyncedAt) }),
  ].filter((x): x is string => x !== null);

  return (
    <footer className="statusbar" aria-label={t('status.label')}>
      <PresenceControl />

      <div
        className={`statusbar__item statusbar__phone statusbar__phone--${sip.state}`}
        role="status"
        aria-label={t('phone.status.label')}
        data-testid="status-phone"
        data-state={sip.state}
        data-reason={sip.reason ?? ''}
        title={phoneReason ?? undefined}
      >
        <PhoneIcon size={14} />
        <span>{phoneText}</span>
        {/* The leading space keeps textContent readable ("…registered · No phone…"); flex layout trims it visually. */}
        {phoneReason && <span className="statusbar__muted">{` · ${phoneReason}`}</span>}
      </div>

      <div
        className={`statusbar__item statusbar__sync statusbar__sync--${sync.state}`}
        role="status"
        aria-label={t('sync.status.label')}
        data-testid="status-sync"
        data-state={sync.state}
        data-pending={sync.pendingCount}
        title={sync.state === 'offline' ? t('sync.offlineHint') : undefined}
      >
        <SyncPhaseIcon size={14} />
        <span>{t(`sync.state.${sync.state}`)}</span>
        <span className="statusbar__muted">{` · ${syncDetails.join(' · ')}`}</span>
      </div>

      <div className="statusbar__spacer" />

      <UpdateHint />
      <ReadinessButton />

      <button type="button" className="statusbar__button" onClick={props.onShowShortcuts} aria-label={t('shortcuts.open')} title={`${t('shortcuts.open')} (?)`} data-testid="open-shortcuts">
        <KeyboardIcon size={15} />
      </button>
      {user && (
        <span className="statusbar__item statusbar__user" data-testid="status-user" title={t('user.signedInAs', { name: user.displayName })}>
          {user.displayName}
        </span>
      )}
      <button type="button" className="statusbar__button statusbar__signout" onClick={() => void logout()} data-testid="sign-out">
        <SignOutIcon size={14} />
        <span>{t('user.signOut')}</span>
      </button>
    </footer>
  );
}
