import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { type SlaChannel, type SlaPriority, TeamSlaSettings, slaChannels } from '../../../core/sla/policy';
import type { SlaTeams, TeamSlaSettingsView } from '../../../core/wire/sla';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';

/** Targets are edited in minutes (decimals allowed: 0.5 = 30 s) and stored in seconds. */
type PolicyDraft = {
  channel: SlaChannel;
  priority: SlaPriority;
  first: string;
  next: string;
  resolution: string;
  warnPercent: string;
  businessHours: boolean;
  escalateAfter: string;
  escalationUserId: string | null;
  /** Minutes before an unacknowledged escalation to the contact goes on to the admins; '' = one level. */
  escalateAgain: string;
};
type Draft = { timeZone: string; hours: { weekday: number; start: string; end: string }[]; holidays: { date: string; name: string }[]; policies: PolicyDraft[] };

const toMin = (s: number | null) => (s === null ? '' : String(Math.round((s / 60) * 100) / 100));
const toSec = (m: string) => Math.round(Number(m.trim()) * 60);
const optSec = (m: string) => (m.trim() === '' ? null : toSec(m));

function draftOf(v: TeamSlaSettingsView): Draft {
  return {
    timeZone: v.timeZone,
    hours: v.hours,
    holidays: v.holidays,
    policies: v.policies.map((p) => ({
      channel: p.channel,
      priority: p.priority,
      first: toMin(p.firstResponseSeconds),
      next: toMin(p.nextResponseSeconds),
      resolution: toMin(p.resolutionSeconds),
      warnPercent: String(p.warnPercent),
      businessHours: p.businessHours,
      escalateAfter: toMin(p.escalateAfterSeconds),
      escalationUserId: p.escalationUserId,
      escalateAgain: toMin(p.escalateAgainAfterSeconds ?? null),
    })),
  };
}

function settingsOf(d: Draft): unknown {
  return {
    timeZone: d.timeZone.trim(),
    hours: d.hours,
    holidays: d.holidays,
    policies: d.policies.map((p) => ({
      channel: p.channel,
      priority: p.priority,
      firstResponseSeconds: toSec(p.first),
      nextResponseSeconds: optSec(p.next),
      resolutionSeconds: optSec(p.resolution),
      warnPercent: Number(p.warnPercent),
      businessHours: p.businessHours,
      escalateAfterSeconds: toSec(p.escalateAfter),
      escalationUserId: p.escalationUserId,
      // A second level only exists when the first is a contact (the admins are the last level).
      escalateAgainAfterSeconds: p.escalationUserId ? optSec(p.escalateAgain) : null,
    })),
  };
}

const fieldKey: Record<string, MessageKey> = {
  firstResponseSeconds: 'sla.policies.firstResponse',
  nextResponseSeconds: 'sla.policies.nextResponse',
  resolutionSeconds: 'sla.policies.resolution',
  warnPercent: 'sla.policies.warnPercent',
  escalateAfterSeconds: 'sla.policies.escalateAfter',
  escalateAgainAfterSeconds: 'sla.policies.escalateAgain',
  timeZone: 'sla.policies.timeZone',
};
/** The core schema's messages (core/sla/policy.ts), in the viewer's language; anything else as it came. */
const messageKey: [RegExp, MessageKey][] = [
  [/more than zero/, 'sla.invalid.positive'],
  [/between 1 and 99/, 'sla.invalid.percent'],
  [/known time zone/, 'sla.invalid.zone'],
  [/before it starts/, 'sla.invalid.inverted'],
  [/overlaps/, 'sla.invalid.overlap'],
  [/listed twice/, 'sla.invalid.holidayTwice'],
  [/a second policy/, 'sla.invalid.policyTwice'],
  [/date|real date/, 'sla.invalid.date'],
  [/needs a name/, 'sla.invalid.name'],
  [/time such as/, 'sla.invalid.clock'],
];

/** "Policy 2 · Warn at %: must be between 1 and 99" from the first issue of a refused draft. */
function problemText(t: Translate, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return '';
  const [section, index, field] = issue.path;
  const where: string[] = [];
  if (section === 'policies' && typeof index === 'number') where.push(t('sla.invalid.policyN', { n: index + 1 }));
  if (section === 'hours' && typeof index === 'number') where.push(t('sla.invalid.hoursN', { n: index + 1 }));
  if (section === 'holidays' && typeof index === 'number') where.push(t('sla.invalid.holidayN', { n: index + 1 }));
  const key = typeof field === 'string' ? fieldKey[field] : typeof section === 'string' ? fieldKey[section] : undefined;
  if (key) where.push(t(key));
  const known = messageKey.find(([re]) => re.test(issue.message));
  const message = known ? t(known[1]) : issue.message;
  return where.length > 0 ? `${where.join(' · ')}: ${message}` : message;
}

const priorities: SlaPriority[] = ['any', 'urgent', 'high', 'normal', 'low'];
const weekdays = [1, 2, 3, 4, 5, 6, 7];
const zones = (): string[] => (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];

/** A team's SLA settings (time zone, business hours, holidays, policies), saved all at once or not at all. */
export function PolicyEditor() {
  const t = useT();
  const loadTeams = useAppStore((s) => s.loadSlaTeams);
  const load = useAppStore((s) => s.loadSlaSettings);
  const save = useAppStore((s) => s.saveSlaSettings);
  const roster = useAppStore((s) => s.roster);
  const loadRoster = useAppStore((s) => s.loadRoster);
  const [teams, setTeams] = useState<SlaTeams['teams']>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });

  useEffect(() => {
    loadTeams()
      .then((list) => {
        setTeams(list);
        setTeamId((cur) => cur ?? list[0]?.id ?? null);
      })
      .catch((err: unknown) => setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
  }, [loadTeams]);
  useEffect(() => {
    if (!teamId) return;
    setDraft(null);
    void loadRoster(teamId);
    load(teamId)
      .then((v) => setDraft(draftOf(v)))
      .catch((err: unknown) => setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
  }, [teamId, load, loadRoster]);

  // Escalation contacts: the admins (default), or one of the team's leads.
  const leads = roster.status === 'loaded' && roster.teamId === teamId ? roster.roster.members.filter((m) => m.role === 'lead') : [];
  if (!draft || !teamId) {
    return status.kind === 'error' ? <div className="alert" role="alert">{t('sla.policies.error', { message: status.message })}</div> : <p role="status">{t('sla.policies.loading')}</p>;
  }
  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setStatus({ kind: 'idle' });
  };
  const setPolicy = (i: number, patch: Partial<PolicyDraft>) => change({ policies: draft.policies.map((p, k) => (k === i ? { ...p, ...patch } : p)) });
  const onSave = async () => {
    const parsed = TeamSlaSettings.safeParse(settingsOf(draft));
    if (!parsed.success) return setStatus({ kind: 'error', message: problemText(t, parsed.error) });
    setStatus({ kind: 'saving' });
    try {
      setDraft(draftOf(await save(teamId, parsed.data)));
      setStatus({ kind: 'saved' });
    } catch (err) {
      setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <form
      className="sla-editor"
      data-testid="policy-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave();
      }}
    >
      <div className="sla-editor__row">
        <label className="field">
          <span className="field__label">{t('sla.policies.team')}</span>
          <select className="select" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('sla.policies.timeZone')}</span>
          <input className="input" list="sla-zones" data-testid="sla-timezone" value={draft.timeZone} onChange={(e) => change({ timeZone: e.target.value })} />
          <datalist id="sla-zones">
            {zones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
      </div>

      <section className="sla-editor__section">
        <h2 className="sla-editor__heading">{t('sla.policies.hours')}</h2>
        {draft.hours.length === 0 ? <p className="field__hint">{t('sla.policies.alwaysOpen')}</p> : null}
        {draft.hours.map((h, i) => (
          <div className="sla-editor__line" key={i}>
            <select className="select" aria-label={t('sla.policies.weekday')} value={h.weekday} onChange={(e) => change({ hours: draft.hours.map((x, k) => (k === i ? { ...x, weekday: Number(e.target.value) } : x)) })}>
              {weekdays.map((d) => (
                <option key={d} value={d}>
                  {t(`sla.weekday.${d}` as MessageKey)}
                </option>
              ))}
            </select>
            <input className="input" type="time" aria-label={t('sla.policies.from')} value={h.start} onChange={(e) => change({ hours: draft.hours.map((x, k) => (k === i ? { ...x, start: e.target.value } : x)) })} />
            <span>–</span>
            <input className="input" type="time" aria-label={t('sla.policies.to')} value={h.end === '24:00' ? '23:59' : h.end} onChange={(e) => change({ hours: draft.hours.map((x, k) => (k === i ? { ...x, end: e.target.value } : x)) })} />
            <button type="button" className="button button--quiet" onClick={() => change({ hours: draft.hours.filter((_, k) => k !== i) })}>
              {t('sla.policies.remove')}
            </button>
          </div>
        ))}
        <div className="sla-editor__actions">
          <button type="button" className="button" onClick={() => change({ hours: [...draft.hours, { weekday: 1, start: '09:00', end: '18:00' }] })}>
            {t('sla.policies.addHours')}
          </button>
          <button type="button" className="button button--quiet" onClick={() => change({ hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '18:00' })) })}>
            {t('sla.policies.weekdays9to6')}
          </button>
        </div>
      </section>

      <section className="sla-editor__section">
        <h2 className="sla-editor__heading">{t('sla.policies.holidays')}</h2>
        {draft.holidays.map((h, i) => (
          <div className="sla-editor__line" key={i}>
            <input className="input" type="date" aria-label={t('sla.policies.holidayDate')} value={h.date} onChange={(e) => change({ holidays: draft.holidays.map((x, k) => (k === i ? { ...x, date: e.target.value } : x)) })} />
            <input className="input" aria-label={t('sla.policies.holidayName')} placeholder={t('sla.policies.holidayName')} value={h.name} onChange={(e) => change({ holidays: draft.holidays.map((x, k) => (k === i ? { ...x, name: e.target.value } : x)) })} />
            <button type="button" className="button button--quiet" onClick={() => change({ holidays: draft.holidays.filter((_, k) => k !== i) })}>
              {t('sla.policies.remove')}
            </button>
          </div>
        ))}
        <button type="button" className="button" onClick={() => change({ holidays: [...draft.holidays, { date: '', name: '' }] })}>
          {t('sla.policies.addHoliday')}
        </button>
      </section>

      <section className="sla-editor__section">
        <h2 className="sla-editor__heading">{t('sla.policies.policies')}</h2>
        <p className="field__hint">{t('sla.policies.hint')}</p>
        <div className="sla-editor__table-wrap">
          <table className="sla-editor__table">
            <thead>
              <tr>
                <th>{t('sla.policies.channel')}</th>
                <th>{t('sla.policies.priority')}</th>
                <th>{t('sla.policies.firstResponse')}</th>
                <th>{t('sla.policies.nextResponse')}</th>
                <th>{t('sla.policies.resolution')}</th>
                <th>{t('sla.policies.warnPercent')}</th>
                <th>{t('sla.policies.businessHours')}</th>
                <th>{t('sla.policies.escalateAfter')}</th>
                <th>{t('sla.policies.escalateTo')}</th>
                <th title={t('sla.policies.escalateAgainHint')}>{t('sla.policies.escalateAgain')}</th>
                <th>
                  <span className="visually-hidden">{t('sla.policies.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.policies.map((p, i) => (
                <tr key={i} data-testid="policy-row">
                  <td>
                    <select className="select" aria-label={t('sla.policies.channel')} value={p.channel} onChange={(e) => setPolicy(i, { channel: e.target.value as SlaChannel })}>
                      {slaChannels.map((c) => (
                        <option key={c} value={c}>
                          {t(`sla.channel.${c}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select className="select" aria-label={t('sla.policies.priority')} value={p.priority} onChange={(e) => setPolicy(i, { priority: e.target.value as SlaPriority })}>
                      {priorities.map((c) => (
                        <option key={c} value={c}>
                          {c === 'any' ? t('sla.channel.any') : t(`tickets.priority.${c}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  {(['first', 'next', 'resolution'] as const).map((k) => (
                    <td key={k}>
                      <input className="input sla-editor__num" inputMode="decimal" aria-label={t(k === 'first' ? 'sla.policies.firstResponse' : k === 'next' ? 'sla.policies.nextResponse' : 'sla.policies.resolution')} value={p[k]} placeholder={k === 'first' ? '' : '—'} onChange={(e) => setPolicy(i, { [k]: e.target.value })} />
                    </td>
                  ))}
                  <td>
                    <input className="input sla-editor__num" inputMode="numeric" aria-label={t('sla.policies.warnPercent')} data-testid="policy-warn" value={p.warnPercent} onChange={(e) => setPolicy(i, { warnPercent: e.target.value })} />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={t('sla.policies.businessHours')} checked={p.businessHours} onChange={(e) => setPolicy(i, { businessHours: e.target.checked })} />
                  </td>
                  <td>
                    <input className="input sla-editor__num" inputMode="decimal" aria-label={t('sla.policies.escalateAfter')} value={p.escalateAfter} onChange={(e) => setPolicy(i, { escalateAfter: e.target.value })} />
                  </td>
                  <td>
                    <select className="select" aria-label={t('sla.policies.escalateTo')} value={p.escalationUserId ?? ''} onChange={(e) => setPolicy(i, { escalationUserId: e.target.value || null })}>
                      <option value="">{t('sla.policies.admins')}</option>
                      {leads.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.displayName}
                        </option>
                      ))}
                      {p.escalationUserId && !leads.some((m) => m.id === p.escalationUserId) ? <option value={p.escalationUserId}>{t('sla.policies.otherContact')}</option> : null}
                    </select>
                  </td>
                  <td>
                    <input
                      className="input sla-editor__num"
                      inputMode="decimal"
                      aria-label={t('sla.policies.escalateAgain')}
                      title={t('sla.policies.escalateAgainHint')}
                      data-testid="policy-escalate-again"
                      value={p.escalationUserId ? p.escalateAgain : ''}
                      placeholder="—"
                      disabled={!p.escalationUserId}
                      onChange={(e) => setPolicy(i, { escalateAgain: e.target.value })}
                    />
                  </td>
                  <td>
                    <button type="button" className="button button--quiet" onClick={() => change({ policies: draft.policies.filter((_, k) => k !== i) })}>
                      {t('sla.policies.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => change({ policies: [...draft.policies, { channel: 'any', priority: 'any', first: '60', next: '', resolution: '', warnPercent: '80', businessHours: true, escalateAfter: '15', escalationUserId: null, escalateAgain: '' }] })}
        >
          {t('sla.policies.addPolicy')}
        </button>
      </section>

      <div className="sla-editor__save">
        <button type="submit" className="button button--primary" data-testid="policy-save" disabled={status.kind === 'saving'}>
          {t('sla.policies.save')}
        </button>
        {status.kind === 'saved' ? (
          <span role="status" className="sla-editor__ok">
            {t('sla.policies.saved')}
          </span>
        ) : null}
        {status.kind === 'error' ? (
          <span role="alert" className="sla-editor__error" data-testid="policy-error">
            {t('sla.policies.error', { message: status.message })}
          </span>
        ) : null}
      </div>
    </form>
  );
}
