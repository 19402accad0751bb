import { useT } from '../../i18n/useT';

/** "Managed by your organization": shown beside every setting IT locked by policy. */
export function ManagedBadge() {
  const t = useT();
  return (
    <span className="managed-badge" data-testid="managed-badge">
      <svg width={12} height={12} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
        <rect x="4" y="11" width="16" height="10" rx="2" />
        <path d="M8 11V7a4 4 0 0 1 8 0v4" />
      </svg>
      {t('settings.policy.managed')}
    </span>
  );
}
