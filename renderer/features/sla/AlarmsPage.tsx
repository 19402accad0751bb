import { useState } from 'react';
import type { Alarm } from '../../../core/wire/sla';
import type { Locale } from '../../../core/locale';
import type { Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { EmptyState, Page } from '../../ui/EmptyState';
import { AlarmIcon } from '../../ui/icons';
import { ShownName } from '../../ui/ShownName';
import { kindKey, levelKey, targetText, teamTime } from './alarmText';
import { PolicyEditor } from './PolicyEditor';
import './sla.css';

/** SLA alarms for everyone who gets them; the team's SLA policies for leads and admins. */
export function AlarmsPage() {
  const t = useT();
  const role = useAppStore((s) => s.user?.role);
  const [tab, setTab] = useState<'alarms' | 'policies'>('alarms');
  const canEdit = role === 'lead' || role === 'admin';
  return (
    <Page
      title={t('sla.title')}
      actions={
        canEdit ? (
          <div className="sla-tabs" role="tablist" aria-label={t('sla.title')}>
            {(['alarms', 'policies'] as const).map((id) => (
              <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'sla-tab sla-tab--active' : 'sla-tab'} data-testid={`sla-tab-${id}`} onClick={() => setTab(id)}>
                {t(id === 'alarms' ? 'sla.tabs.alarms' : 'sla.tabs.policies')}
              </button>
            ))}
          </div>
        ) : null
      }
    >
      {tab === 'policies' && canEdit ? <PolicyEditor /> : <AlarmList />}
    </Page>
  );
}

function AlarmList() {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const alarms = useAppStore((s) => s.alarms);
  const connected = useAppStore((s) => s.alarmsConnected);
  const sound = useAppStore((s) => s.slaSound);
  const setSound = useAppStore((s) => s.setSlaSound);
  const [onlyOpen, setOnlyOpen] = useState(true);
  const shown = onlyOpen ? alarms.filter((a) => a.acknowledgedAt === null) : alarms;
  return (
    <div className="sla-alarms">
      <div className="sla-alarms__bar">
        <label className="sla-check">
          <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} /> {t('sla.alarms.onlyOpen')}
        </label>
        <label className="sla-check">
          <input type="checkbox" data-testid="sla-sound" checked={sound} onChange={(e) => setSound(e.target.checked)} /> {t('sla.sound')}
        </label>
        {connected ? null : (
          <span className="sla-alarms__offline" role="status">
            {t('sla.disconnected')}
          </span>
        )}
      </div>
      {shown.length === 0 ? (
        <EmptyState icon={<AlarmIcon size={28} />} title={t('sla.alarms.emptyTitle')}>
          {t('sla.alarms.empty')}
        </EmptyState>
      ) : (
        <ul className="sla-alarms__list" data-testid="alarm-list">
          {shown.map((a) => (
            <AlarmRow key={a.id} alarm={a} t={t} locale={locale} />
          ))}
        </ul>
      )}
    </div>
  );
}

function AlarmRow(props: { alarm: Alarm; t: Translate; locale: Locale }) {
  const { alarm: a, t, locale } = props;
  const ackAlarm = useAppStore((s) => s.ackAlarm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <li className={`sla-alarm sla-alarm--${a.level}`} data-testid="alarm-row" data-level={a.level} data-ticket={a.ticketNumber ?? ''}>
      <span className={`sla-badge sla-badge--${a.level}`}>{t(levelKey[a.level])}</span>
      <div className="sla-alarm__main">
        <div className="sla-alarm__title">
          <span className="sla-alarm__number">#{a.ticketNumber ?? '—'}</span> <ShownName text={a.subject} flagLabel={t('text.flag.hidden')} className="sla-alarm__subject" />
        </div>
        <div className="sla-alarm__meta">
          {t(kindKey[a.timerKind])} · {t('sla.alarm.target', { target: targetText(locale, a.targetSeconds), percent: a.warnPercent })} · {a.teamName} ·{' '}
          {a.assigneeName ? t('sla.alarm.assignee', { name: a.assigneeName }) : t('sla.alarm.unassigned')}
        </div>
        <div className="sla-alarm__meta">
          {a.dueAt === null ? null : <>{t('sla.alarm.due', { time: teamTime(locale, a.dueAt, a.teamTimeZone, true) })} · </>}
          {t('sla.alarm.raised', { time: teamTime(locale, a.raisedAt, a.teamTimeZone, true) })}
        </div>
        {error ? (
          <div className="sla-alarm__error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
      {a.acknowledgedAt === null ? (
        <button
          type="button"
          className="button"
          disabled={busy}
          data-testid="alarm-ack"
          onClick={() => {
            setBusy(true);
            setError(null);
            ackAlarm(a.id)
              .catch((err: unknown) => setError(t('sla.alarm.ackFailed', { message: err instanceof Error ? err.message : String(err) })))
              .finally(() => setBusy(false));
          }}
        >
          {t('sla.alarm.ack')}
        </button>
      ) : (
        <span className="sla-alarm__acked" data-testid="alarm-acked">
          {t('sla.alarm.acked', { name: a.acknowledgedByName ?? '—', time: teamTime(locale, a.acknowledgedAt, a.teamTimeZone, true) })}
        </span>
      )}
    </li>
  );
}
