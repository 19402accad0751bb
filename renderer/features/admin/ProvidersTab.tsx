import { useCallback, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import type { AdminService } from '../../services/admin/adminService';
import { ChangeError, LoadedOr, OnceSecretBox, useChange, useServerList } from './adminShared';

/**
 * Messaging providers (the webhook's HMAC secret) and SCIM providers (the identity provider's bearer
 * token). A secret is shown once, when it is made or rotated; the server keeps no way to show it again.
 */
export function ProvidersTab(props: { service: AdminService }) {
  const t = useT();
  const { service } = props;
  const [messaging, reloadMessaging] = useServerList(useCallback(() => service.providers('messaging'), [service]));
  const [scim, reloadScim] = useServerList(useCallback(() => service.providers('scim'), [service]));
  const reload = () => (reloadMessaging(), reloadScim());
  const change = useChange(reload);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [m, setM] = useState({ id: '', name: '', callbackUrl: '' });
  const [s, setS] = useState({ id: '', name: '' });
  const scimUrl = `${window.location.origin}/scim/v2`;

  const addMessaging = (e: FormEvent) => {
    e.preventDefault();
    void change.run(async () => {
      setSecret({ label: t('admin.providers.secretFor', { id: m.id }), value: await service.createProvider('messaging', m) });
      setM({ id: '', name: '', callbackUrl: '' });
    });
  };
  const addScim = (e: FormEvent) => {
    e.preventDefault();
    void change.run(async () => {
      setSecret({ label: t('admin.providers.tokenFor', { id: s.id }), value: await service.createProvider('scim', s) });
      setS({ id: '', name: '' });
    });
  };
  const rotate = (kind: 'messaging' | 'scim', id: string) =>
    void change.run(async () => setSecret({ label: t(kind === 'scim' ? 'admin.providers.tokenFor' : 'admin.providers.secretFor', { id }), value: await service.rotateProvider(kind, id) }));

  return (
    <div className="admin__stack">
      <ChangeError message={change.error} />
      <OnceSecretBox label={secret?.label ?? ''} secret={secret?.value ?? null} onDone={() => setSecret(null)} />
      <section aria-labelledby="admin-messaging-title">
        <h2 id="admin-messaging-title" className="admin__h2">{t('admin.providers.messaging')}</h2>
        <LoadedOr state={messaging}>
          {(list) => (
            <ul className="admin__list" data-testid="admin-messaging">
              {list.map((p) => (
                <li key={p.id}>
                  <strong>{p.name}</strong> <code>{p.id}</code> {p.callbackUrl}
                  <button type="button" className="button button--quiet" onClick={() => rotate('messaging', p.id)}>
                    {t('admin.providers.rotate')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </LoadedOr>
        <form className="admin__inline" onSubmit={addMessaging}>
          <input className="input" required placeholder={t('admin.providers.id')} aria-label={t('admin.providers.id')} value={m.id} onChange={(e) => setM({ ...m, id: e.target.value })} />
          <input className="input" required placeholder={t('admin.providers.name')} aria-label={t('admin.providers.name')} value={m.name} onChange={(e) => setM({ ...m, name: e.target.value })} />
          <input className="input" required type="url" placeholder={t('admin.providers.callback')} aria-label={t('admin.providers.callback')} value={m.callbackUrl} onChange={(e) => setM({ ...m, callbackUrl: e.target.value })} />
          <button type="submit" className="button">{t('admin.providers.add')}</button>
        </form>
      </section>
      <section aria-labelledby="admin-scim-title">
        <h2 id="admin-scim-title" className="admin__h2">{t('admin.providers.scim')}</h2>
        <p className="field__hint">{t('admin.providers.scimHint', { url: scimUrl })}</p>
        <LoadedOr state={scim}>
          {(list) => (
            <ul className="admin__list" data-testid="admin-scim">
              {list.map((p) => (
                <li key={p.id}>
                  <strong>{p.name}</strong> <code>{p.id}</code>
                  <button type="button" className="button button--quiet" onClick={() => rotate('scim', p.id)}>
                    {t('admin.providers.rotate')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </LoadedOr>
        <form className="admin__inline" onSubmit={addScim}>
          <input className="input" required placeholder={t('admin.providers.id')} aria-label={t('admin.providers.id')} value={s.id} onChange={(e) => setS({ ...s, id: e.target.value })} data-testid="admin-scim-id" />
          <input className="input" required placeholder={t('admin.providers.name')} aria-label={t('admin.providers.name')} value={s.name} onChange={(e) => setS({ ...s, name: e.target.value })} data-testid="admin-scim-name" />
          <button type="submit" className="button" data-testid="admin-scim-add">{t('admin.providers.add')}</button>
        </form>
      </section>
    </div>
  );
}
