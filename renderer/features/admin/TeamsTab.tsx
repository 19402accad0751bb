import { useCallback, useMemo, useState, type FormEvent } from 'react';
import type { AdminTeam } from '../../../core/admin/wire';
import type { Locale } from '../../../core/locale';
import { useT } from '../../i18n/useT';
import type { AdminService } from '../../services/admin/adminService';
import { useAppStore } from '../../stores/appStore';
import { ChangeError, LoadedOr, useChange, useServerList } from './adminShared';

type Draft = { name: string; language: Locale; timeZone: string };
const empty: Draft = { name: '', language: 'en', timeZone: 'UTC' };
const locales: readonly Locale[] = ['en', 'zh-CN', 'zh-TW'];

/** Teams: name, language and time zone here; break reasons, business hours and SLA policies where they already live (linked). */
export function TeamsTab(props: { service: AdminService; isAdmin: boolean }) {
  const t = useT();
  const { service, isAdmin } = props;
  const goTo = useAppStore((s) => s.goTo);
  const [teams, reload] = useServerList(useCallback(() => service.teams(), [service]));
  const change = useChange(reload);
  const [editing, setEditing] = useState<AdminTeam | null>(null);
  const [draft, setDraft] = useState<Draft>(empty);
  // The runtime's own IANA list as suggestions; the server checks the name against the same database.
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await change.run(() =>
      editing ? service.updateTeam(editing.id, { ...(isAdmin ? { name: draft.name } : {}), language: draft.language, timeZone: draft.timeZone }) : service.createTeam(draft),
    );
    if (ok) {
      setEditing(null);
      setDraft(empty);
    }
  };

  return (
    <div className="admin__split">
      <section aria-labelledby="admin-teams-title">
        <h2 id="admin-teams-title" className="admin__h2">{t('admin.teams.title')}</h2>
        <LoadedOr state={teams}>
          {(list) => (
            <table className="admin__table" data-testid="admin-teams">
              <thead>
                <tr>
                  <th>{t('admin.teams.name')}</th>
                  <th>{t('admin.teams.language')}</th>
                  <th>{t('admin.teams.timeZone')}</th>
                  <th>{t('admin.teams.members')}</th>
                  <th>
                    <span className="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((team) => (
                  <tr key={team.id} data-testid={`admin-team-${team.name}`}>
                    <td>{team.name}</td>
                    <td>{t(`admin.locale.${team.language}`)}</td>
                    <td>{team.timeZone}</td>
                    <td>{team.memberCount}</td>
                    <td>
                      <button type="button" className="button button--quiet" onClick={() => (setEditing(team), setDraft({ name: team.name, language: team.language, timeZone: team.timeZone }))}>
                        {t('admin.edit')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LoadedOr>
        <div className="admin__links">
          <p>{t('admin.teams.elsewhere')}</p>
          <button type="button" className="button" onClick={() => goTo('wallboard')} data-testid="admin-link-floor">
            {t('admin.teams.breakReasons')}
          </button>
          <button type="button" className="button" onClick={() => goTo('alarms')} data-testid="admin-link-sla">
            {t('admin.teams.slaPolicies')}
          </button>
        </div>
      </section>
      {(isAdmin || editing) && (
        <form className="admin__form" onSubmit={(e) => void submit(e)} aria-labelledby="admin-team-form-title" data-testid="admin-team-form">
          <h2 id="admin-team-form-title" className="admin__h2">{editing ? t('admin.teams.editTitle', { name: editing.name }) : t('admin.teams.addTitle')}</h2>
          <ChangeError message={change.error} />
          <label className="field">
            <span className="field__label">{t('admin.teams.name')}</span>
            <input className="input" required disabled={!isAdmin} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="admin-team-name" />
          </label>
          <label className="field">
            <span className="field__label">{t('admin.teams.language')}</span>
            <select className="select" value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.target.value as Locale })}>
              {locales.map((l) => (
                <option key={l} value={l}>
                  {t(`admin.locale.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">{t('admin.teams.timeZone')}</span>
            <input className="input" required list="admin-time-zones" value={draft.timeZone} onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })} data-testid="admin-team-tz" />
            <datalist id="admin-time-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <span className="field__hint">{t('admin.teams.timeZoneHint')}</span>
          </label>
          <div className="admin__buttons">
            <button type="submit" className="button button--primary" disabled={change.busy} data-testid="admin-team-save">
              {editing ? t('admin.save') : t('admin.teams.add')}
            </button>
            {editing && (
              <button type="button" className="button" onClick={() => (setEditing(null), setDraft(empty), change.clear())}>
                {t('admin.cancel')}
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
