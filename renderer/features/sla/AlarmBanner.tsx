import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { AlarmIcon } from '../../ui/icons';
import { ShownName } from '../../ui/ShownName';
import { kindKey, alarmHeadline, teamTime } from './alarmText';

/** The newest unacknowledged alarm, on every page, until acknowledged or dismissed (the list keeps it). */
export function AlarmBanner() {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const banner = useAppStore((s) => s.alarmBanner);
  const alarms = useAppStore((s) => s.alarms);
  const ackAlarm = useAppStore((s) => s.ackAlarm);
  const dismiss = useAppStore((s) => s.dismissAlarmBanner);
  const goTo = useAppStore((s) => s.goTo);
  const [error, setError] = useState<string | null>(null);
  const id = banner.at(-1);
  const alarm = id ? alarms.find((a) => a.id === id) : undefined;
  if (!alarm) return null;
  const more = banner.length - 1;
  return (
    <div className={`alarm-banner alarm-banner--${alarm.level}`} role="alert" data-testid="alarm-banner" data-level={alarm.level}>
      <span className="alarm-banner__glyph" aria-hidden="true">
        <AlarmIcon size={20} />
      </span>
      <div className="alarm-banner__text">
        <strong>{alarmHeadline(t, alarm)}</strong>
        <span className="alarm-banner__meta">
          {t(kindKey[alarm.timerKind])} · {alarm.dueAt === null ? '—' : t('sla.alarm.due', { time: teamTime(locale, alarm.dueAt, alarm.teamTimeZone) })} · {alarm.teamName} · <ShownName text={alarm.subject} flagLabel={t('text.flag.hidden')} />
        </span>
        {error ? <span className="alarm-banner__error">{error}</span> : null}
      </div>
      {more > 0 ? (
        <button type="button" className="button button--quiet" onClick={() => goTo('alarms')}>
          {t('sla.banner.more', { count: more })}
        </button>
      ) : null}
      <button
        type="button"
        className="button button--primary"
        data-testid="alarm-banner-ack"
        onClick={() => {
          setError(null);
          ackAlarm(alarm.id).catch((err: unknown) => setError(t('sla.alarm.ackFailed', { message: err instanceof Error ? err.message : String(err) })));
        }}
      >
        {t('sla.alarm.ack')}
      </button>
      <button type="button" className="button button--quiet" aria-label={t('sla.banner.dismiss')} title={t('sla.banner.dismiss')} onClick={() => dismiss(alarm.id)}>
        ×
      </button>
    </div>
  );
}
