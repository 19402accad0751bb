import { useCallback, useState, type FormEvent } from 'react';
import type { AdminQueue } from '../../../core/admin/wire';
import type { Locale } from '../../../core/locale';
import { useT } from '../../i18n/useT';
import type { AdminService } from '../../services/admin/adminService';
import { ChangeError, LoadedOr, useChange, useServerList } from './adminShared';

type Draft = { name: string; teamId: string; language: Locale | ''; country: string; product: string; mode: 'offer' | 'auto'; offerTimeoutSeconds: number };
const empty: Draft = { name: '', teamId: '', language: '', country: '', product: '', mode: 'offer', offerTimeoutSeconds: 30 };
const locales: readonly Locale[] = ['en', 'zh-CN', 'zh-TW'];

/** Chat queues and what routes a customer to them (language, country, product); in force for the next chat. */
export function QueuesTab(props: { service: AdminService }) {
  const t = useT();
  const { service } = props;
  const [queues, reload] = useServerList(useCallback(() => service.queues(), [service]));
  const [teams] = useServerList(useCallback(() => service.teams(), [service]));
  const change = useChange(reload);
  const [editing, setEditing] = useState<AdminQueue | null>(null);
  const [draft, setDraft] = useState<Draft>(empty);
  const teamList = teams.status === 'loaded' ? teams.value : [];
  const teamId = draft.teamId || teamList[0]?.id || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const routing = { name: draft.name, language: draft.language || null, country: draft.country.trim() || null, product: draft.product.trim() || null, mode: draft.mode, offerTimeoutSeconds: draft.offerTimeoutSeconds };
    const ok = await change.run(() => (editing ? service.updateQueue(editing.id, routing) : service.createQueue({ ...routing, teamId })));
    if (ok) {
      setEditing(null);
      setDraft(empty);
    }
  };
  const any = t('admin.queues.any');

  return (
    <div className="admin__split">
      <section aria-labelledby="admin-queues-title">
        <h2 id="admin-queues-title" className="admin__h2">{t('admin.queues.title')}</h2>
        <LoadedOr state={queues}>
          {(list) => (
            <table className="admin__table" data-testid="admin-queues">
              <thead>
                <tr>
                  <th>{t('admin.queues.name')}</th>
                  <th>{t('admin.queues.team')}</th>
                  <th>{t('admin.queues.language')}</th>
                  <th>{t('admin.queues.country')}</th>
                  <th>{t('admin.queues.product')}</th>
                  <th>{t('admin.queues.mode')}</th>
                  <th>
                    <span className="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((q) => (
                  <tr key={q.id} data-testid={`admin-queue-${q.name}`}>
                    <td>{q.name}</td>
                    <td>{teamList.find((x) => x.id === q.teamId)?.name ?? '…'}</td>
                    <td>{q.language ? t(`admin.locale.${q.language}`) : any}</td>
                    <td>{q.country ?? any}</td>
                    <td>{q.product ?? any}</td>
                    <td>{t(q.mode === 'auto' ? 'admin.queues.auto' : 'admin.queues.offer')}</td>
                    <td>
                      <button
                        type="button"
                        className="button button--quiet"
                        onClick={() => (setEditing(q), setDraft({ name: q.name, teamId: q.teamId, language: q.language ?? '', country: q.country ?? '', product: q.product ?? '', mode: q.mode, offerTimeoutSeconds: q.offerTimeoutSeconds }))}
                      >
                        {t('admin.edit')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LoadedOr>
      </section>
      <form className="admin__form" onSubmit={(e) => void submit(e)} aria-labelledby="admin-queue-form-title" data-testid="admin-queue-form">
        <h2 id="admin-queue-form-title" className="admin__h2">{editing ? t('admin.queues.editTitle', { name: editing.name }) : t('admin.queues.addTitle')}</h2>
        <ChangeError message={change.error} />
        <label className="field">
          <span className="field__label">{t('admin.queues.name')}</span>
          <input className="input" required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="admin-queue-name" />
        </label>
        <label className="field">
          <span className="field__label">{t('admin.queues.team')}</span>
          <select className="select" disabled={!!editing} value={teamId} onChange={(e) => setDraft({ ...draft, teamId: e.target.value })} data-testid="admin-queue-team">
            {teamList.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('admin.queues.language')}</span>
          <select className="select" value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.target.value as Locale | '' })} data-testid="admin-queue-language">
            <option value="">{any}</option>
            {locales.map((l) => (
              <option key={l} value={l}>
                {t(`admin.locale.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('admin.queues.country')}</span>
          <input className="input" maxLength={2} value={draft.country} onChange={(e) => setDraft({ ...draft, country: e.target.value })} data-testid="admin-queue-country" />
        </label>
        <label className="field">
          <span className="field__label">{t('admin.queues.product')}</span>
          <input className="input" value={draft.product} onChange={(e) => setDraft({ ...draft, product: e.target.value })} data-testid="admin-queue-product" />
        </label>
        <label className="field">
          <span className="field__label">{t('admin.queues.mode')}</span>
          <select className="select" value={draft.mode} onChange={(e) => setDraft({ ...draft, mode: e.target.value as 'offer' | 'auto' })}>
            <option value="offer">{t('admin.queues.offer')}</option>
            <option value="auto">{t('admin.queues.auto')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('admin.queues.timeout')}</span>
          <input className="input" type="number" min={5} max={600} value={draft.offerTimeoutSeconds} onChange={(e) => setDraft({ ...draft, offerTimeoutSeconds: Number(e.target.value) })} />
        </label>
        <div className="admin__buttons">
          <button type="submit" className="button button--primary" disabled={change.busy} data-testid="admin-queue-save">
            {editing ? t('admin.save') : t('admin.queues.add')}
          </button>
          {editing && (
            <button type="button" className="button" onClick={() => (setEditing(null), setDraft(empty), change.clear())}>
              {t('admin.cancel')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
