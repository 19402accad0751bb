import { useCallback, useState, type FormEvent } from 'react';
import type { AdminPerson, AdminTeam, PersonPatch } from '../../../core/admin/wire';
import type { Locale } from '../../../core/locale';
import type { Role } from '../../../core/wire/auth';
import { useT } from '../../i18n/useT';
import type { AdminService } from '../../services/admin/adminService';
import { ChangeError, LoadedOr, OnceSecretBox, splitList, useChange, useServerList } from './adminShared';

type Draft = { username: string; displayName: string; role: Role; extension: string; teamIds: string[]; skills: string; languages: Locale[]; password: string };
const empty: Draft = { username: '', displayName: '', role: 'agent', extension: '', teamIds: [], skills: '', languages: [], password: '' };
const draftOf = (p: AdminPerson): Draft => ({ username: p.username, displayName: p.displayName, role: p.role, extension: p.extension ?? '', teamIds: p.teamIds, skills: p.skills.join(', '), languages: p.languages, password: '' });
const locales: readonly Locale[] = ['en', 'zh-CN', 'zh-TW'];
const roles: readonly Role[] = ['agent', 'lead', 'admin'];

/** People: the list, a form to add or edit one, and the per-person actions (deactivate, SIP password, single sign-on only). */
export function PeopleTab(props: { service: AdminService; isAdmin: boolean }) {
  const t = useT();
  const { service, isAdmin } = props;
  const [people, reload] = useServerList(useCallback(() => service.people(), [service]));
  const [teams] = useServerList(useCallback(() => service.teams(), [service]));
  const change = useChange(reload);
  const [editing, setEditing] = useState<AdminPerson | null>(null);
  const [draft, setDraft] = useState<Draft>(empty);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const teamList: AdminTeam[] = teams.status === 'loaded' ? teams.value : [];
  const teamName = (id: string) => teamList.find((x) => x.id === id)?.name ?? '…';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const skills = splitList(draft.skills);
    const ok = await change.run(async () => {
      if (!editing) {
        await service.createPerson({
          username: draft.username,
          displayName: draft.displayName,
          role: draft.role,
          extension: draft.extension.trim() || null,
          teamIds: draft.teamIds,
          skills,
          languages: draft.languages,
          ...(draft.password ? { password: draft.password } : {}),
        });
        return;
      }
      // A lead may change skills, languages and capacity only: send just what changed.
      const patch: PersonPatch = { skills, languages: draft.languages };
      if (isAdmin) {
        if (draft.displayName !== editing.displayName) patch.displayName = draft.displayName;
        if (draft.role !== editing.role) patch.role = draft.role;
        if ((draft.extension.trim() || null) !== editing.extension) patch.extension = draft.extension.trim() || null;
        if (draft.teamIds.join() !== editing.teamIds.join()) patch.teamIds = draft.teamIds;
      }
      await service.updatePerson(editing.id, patch);
    });
    if (ok) {
      setEditing(null);
      setDraft(empty);
    }
  };
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  return (
    <div className="admin__split">
      <section aria-labelledby="admin-people-title">
        <h2 id="admin-people-title" className="admin__h2">{t('admin.people.title')}</h2>
        <OnceSecretBox label={secret?.label ?? ''} secret={secret?.value ?? null} onDone={() => setSecret(null)} />
        <LoadedOr state={people}>
          {(list) => (
            <div className="admin__tablewrap">
            <table className="admin__table" data-testid="admin-people">
              <thead>
                <tr>
                  <th>{t('admin.people.username')}</th>
                  <th>{t('admin.people.name')}</th>
                  <th>{t('admin.people.role')}</th>
                  <th>{t('admin.people.teams')}</th>
                  <th>{t('admin.people.extension')}</th>
                  <th>{t('admin.people.status')}</th>
                  <th>
                    <span className="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.id} data-testid={`admin-person-${p.username}`} className={p.active ? undefined : 'admin__row--off'}>
                    <td>{p.username}</td>
                    <td>{p.displayName}</td>
                    <td>{t(`admin.role.${p.role}`)}</td>
                    <td>{p.teamIds.map(teamName).join(', ')}</td>
                    <td>{p.extension ?? '—'}</td>
                    <td>
                      {p.active ? t('admin.people.active') : t('admin.people.inactive')}
                      {p.ssoOnly ? ` · ${t('admin.people.ssoOnly')}` : ''}
                      {p.managedBy ? ` · ${t('admin.people.managedBy', { provider: p.managedBy })}` : ''}
                    </td>
                    <td className="admin__actions">
                      <button type="button" className="button button--quiet" onClick={() => (setEditing(p), setDraft(draftOf(p)))} data-testid="admin-person-edit">
                        {t('admin.edit')}
                      </button>
                      {isAdmin && (
                        <>
                          <button type="button" className="button button--quiet" data-testid="admin-person-active" onClick={() => void change.run(() => service.setActive(p.id, !p.active))}>
                            {p.active ? t('admin.people.deactivate') : t('admin.people.reactivate')}
                          </button>
                          {p.extension && (
                            <button
                              type="button"
                              className="button button--quiet"
                              data-testid="admin-person-rotate-sip"
                              onClick={() => void change.run(async () => setSecret({ label: t('admin.people.newSip', { extension: p.extension ?? '' }), value: await service.rotateSip(p.id) }))}
                            >
                              {t('admin.people.rotateSip')}
                            </button>
                          )}
                          {!p.ssoOnly && (
                            <button type="button" className="button button--quiet" onClick={() => void change.run(() => service.resetPassword(p.id, { sso: true }))}>
                              {t('admin.people.makeSso')}
                            </button>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
        </LoadedOr>
      </section>

      {(isAdmin || editing) && (
        <form className="admin__form" onSubmit={(e) => void submit(e)} aria-labelledby="admin-person-form-title" data-testid="admin-person-form">
          <h2 id="admin-person-form-title" className="admin__h2">{editing ? t('admin.people.editTitle', { name: editing.displayName }) : t('admin.people.addTitle')}</h2>
          <ChangeError message={change.error} />
          <label className="field">
            <span className="field__label">{t('admin.people.username')}</span>
            <input className="input" required disabled={!!editing} value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} data-testid="admin-person-username" />
          </label>
          <label className="field">
            <span className="field__label">{t('admin.people.name')}</span>
            <input className="input" required disabled={!isAdmin} value={draft.displayName} onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} data-testid="admin-person-name" />
          </label>
          <label className="field">
            <span className="field__label">{t('admin.people.role')}</span>
            <select className="select" disabled={!isAdmin} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })} data-testid="admin-person-role">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`admin.role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">{t('admin.people.extension')}</span>
            <input className="input" inputMode="numeric" disabled={!isAdmin} value={draft.extension} onChange={(e) => setDraft({ ...draft, extension: e.target.value })} data-testid="admin-person-extension" />
            <span className="field__hint">{t('admin.people.extensionHint')}</span>
          </label>
          <fieldset className="field admin__checks">
            <legend className="field__label">{t('admin.people.teams')}</legend>
            {teamList.map((team) => (
              <label key={team.id}>
                <input type="checkbox" disabled={!isAdmin} checked={draft.teamIds.includes(team.id)} onChange={() => setDraft({ ...draft, teamIds: toggle(draft.teamIds, team.id) })} /> {team.name}
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span className="field__label">{t('admin.people.skills')}</span>
            <input className="input" value={draft.skills} onChange={(e) => setDraft({ ...draft, skills: e.target.value })} placeholder="billing, returns" />
          </label>
          <fieldset className="field admin__checks">
            <legend className="field__label">{t('admin.people.languages')}</legend>
            {locales.map((l) => (
              <label key={l}>
                <input type="checkbox" checked={draft.languages.includes(l)} onChange={() => setDraft({ ...draft, languages: toggle(draft.languages, l) })} /> {t(`admin.locale.${l}`)}
              </label>
            ))}
          </fieldset>
          {!editing && (
            <label className="field">
              <span className="field__label">{t('admin.people.password')}</span>
              <input className="input" type="password" autoComplete="new-password" value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} data-testid="admin-person-password" />
              <span className="field__hint">{t('admin.people.passwordHint')}</span>
            </label>
          )}
          <div className="admin__buttons">
            <button type="submit" className="button button--primary" disabled={change.busy} data-testid="admin-person-save">
              {editing ? t('admin.save') : t('admin.people.add')}
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
