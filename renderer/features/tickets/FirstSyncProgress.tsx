import type { Translate } from '../../i18n/i18n';

/** The first download of the agent's tickets (or a rebuild after healing): how far along it is. */
export function FirstSyncProgress(props: { progress: { received: number; estimatedTotal: number | null }; t: Translate }) {
  const { received, estimatedTotal } = props.progress;
  const total = estimatedTotal !== null && estimatedTotal > 0 ? Math.max(estimatedTotal, received) : null;
  return (
    <div className="first-sync" data-testid="first-sync">
      <label className="first-sync__label" htmlFor="first-sync-bar">
        {props.t('tickets.firstSync.label')}
      </label>
      {/* Without a total the bar is indeterminate (no value), rather than a made-up percentage. */}
      <progress id="first-sync-bar" className="first-sync__bar" max={total ?? undefined} value={total === null ? undefined : received} />
      <span className="first-sync__count">{total === null ? props.t('tickets.firstSync.received', { received }) : props.t('tickets.firstSync.progress', { received, total })}</span>
    </div>
  );
}
