import { useCallback } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { AdminService } from '../../services/admin/adminService';
import { LoadedOr, useServerList } from './adminShared';

/** What changed, who changed it and when, with the record before and after (server/admin/audit.ts). */
export function AuditTab(props: { service: AdminService }) {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const [entries, reload] = useServerList(useCallback(() => props.service.audit(), [props.service]));
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 1));
  return (
    <section aria-labelledby="admin-audit-title">
      <h2 id="admin-audit-title" className="admin__h2">
        {t('admin.audit.title')}{' '}
        <button type="button" className="button button--quiet" onClick={reload}>
          {t('admin.audit.refresh')}
        </button>
      </h2>
      <LoadedOr state={entries}>
        {(list) => (
          <table className="admin__table admin__audit" data-testid="admin-audit">
            <thead>
              <tr>
                <th>{t('admin.audit.when')}</th>
                <th>{t('admin.audit.who')}</th>
                <th>{t('admin.audit.what')}</th>
                <th>{t('admin.audit.before')}</th>
                <th>{t('admin.audit.after')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((e) => (
                <tr key={e.id}>
                  <td>{when.format(new Date(e.at))}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>
                    <pre>{show(e.before)}</pre>
                  </td>
                  <td>
                    <pre>{show(e.after)}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadedOr>
    </section>
  );
}
