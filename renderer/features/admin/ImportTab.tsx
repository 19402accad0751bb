import { useState } from 'react';
import type { ImportResult } from '../../../core/admin/wire';
import { useT } from '../../i18n/useT';
import type { AdminService } from '../../services/admin/adminService';
import { ChangeError, useChange } from './adminShared';

const example = 'username,display_name,role,extension,teams,skills,languages,password\nana.silva,Ana Silva,agent,3101,Team Lisbon,billing;returns,en,\n';

/** CSV import: a dry run lists every problem of every row; the import writes all rows or none. */
export function ImportTab(props: { service: AdminService }) {
  const t = useT();
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<ImportResult | null>(null);
  const change = useChange(() => undefined);
  const run = (dryRun: boolean) => void change.run(async () => setResult(await props.service.importPeople(csv, dryRun)));
  return (
    <section className="admin__stack" aria-labelledby="admin-import-title">
      <h2 id="admin-import-title" className="admin__h2">{t('admin.import.title')}</h2>
      <p className="field__hint">{t('admin.import.columns')}</p>
      <pre className="admin__example">{example}</pre>
      <label className="field">
        <span className="field__label">{t('admin.import.file')}</span>
        <input type="file" accept=".csv,text/csv" onChange={(e) => void e.target.files?.[0]?.text().then((text) => (setCsv(text), setResult(null)))} />
      </label>
      <label className="field">
        <span className="field__label">{t('admin.import.text')}</span>
        <textarea className="input admin__csv" rows={8} value={csv} onChange={(e) => (setCsv(e.target.value), setResult(null))} data-testid="admin-import-csv" />
      </label>
      <div className="admin__buttons">
        <button type="button" className="button" disabled={!csv || change.busy} onClick={() => run(true)} data-testid="admin-import-dry">
          {t('admin.import.dryRun')}
        </button>
        <button type="button" className="button button--primary" disabled={!csv || change.busy || !result?.dryRun || result.problems.length > 0} onClick={() => run(false)} data-testid="admin-import-run">
          {t('admin.import.run')}
        </button>
      </div>
      <ChangeError message={change.error} />
      {result && (
        <div role="status" data-testid="admin-import-result">
          <p>
            {result.problems.length
              ? t('admin.import.problems', { rows: result.rows, count: result.problems.length })
              : result.dryRun
                ? t('admin.import.clean', { rows: result.rows })
                : t('admin.import.done', { created: result.created })}
          </p>
          {result.problems.length > 0 && (
            <table className="admin__table" data-testid="admin-import-problems">
              <thead>
                <tr>
                  <th>{t('admin.import.line')}</th>
                  <th>{t('admin.import.field')}</th>
                  <th>{t('admin.import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {result.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.line}</td>
                    <td>{p.field ?? '—'}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
