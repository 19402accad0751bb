import { useId, useState, useSyncExternalStore } from 'react';
import type { LogLevel } from '../../../core/policy/schema';
import { useT } from '../../i18n/useT';
import type { Diagnostics } from '../../services/log/diagnostics';
import { useDiagnostics } from './DiagnosticsContext';
import { filterLog } from './logFilter';
import './diagnostics.css';

type ExportState = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; location: string; bytes: number } | { kind: 'failed'; message: string };

const levels: LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Settings → Diagnostics: the in-app log viewer and "Export diagnostics". */
export function DiagnosticsSection() {
  const diagnostics = useDiagnostics();
  const t = useT();
  if (!diagnostics) return null;
  return (
    <section className="settings__section diagnostics" aria-labelledby="settings-diagnostics" data-testid="diagnostics">
      <h2 id="settings-diagnostics" className="settings__heading">
        {t('diagnostics.title')}
      </h2>
      <p className="field__hint diagnostics__hint">{t('diagnostics.hint')}</p>
      <ExportButton diagnostics={diagnostics} />
      <LogViewer diagnostics={diagnostics} />
    </section>
  );
}

function ExportButton(props: { diagnostics: Diagnostics }) {
  const t = useT();
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const run = async (): Promise<void> => {
    setState({ kind: 'busy' });
    try {
      const saved = await props.diagnostics.export();
      setState({ kind: 'done', ...saved });
    } catch (err) {
      setState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <div className="diagnostics__export">
      <button type="button" className="button button--primary" data-testid="diagnostics-export" disabled={state.kind === 'busy'} onClick={() => void run()}>
        {state.kind === 'busy' ? t('diagnostics.exporting') : t('diagnostics.export')}
      </button>
      <span role="status" className="diagnostics__export-status" data-testid="diagnostics-export-status" data-state={state.kind}>
        {state.kind === 'done' && t('diagnostics.exported', { location: state.location, size: Math.max(1, Math.round(state.bytes / 1024)) })}
        {state.kind === 'failed' && t('diagnostics.exportFailed', { message: state.message })}
      </span>
    </div>
  );
}

function LogViewer(props: { diagnostics: Diagnostics }) {
  const t = useT();
  const { logger } = props.diagnostics;
  const entries = useSyncExternalStore(logger.subscribe, logger.entries);
  const [level, setLevel] = useState<LogLevel>('debug');
  const [query, setQuery] = useState('');
  const levelId = useId();
  const searchId = useId();
  const { rows, matched } = filterLog(entries, level, query);
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

  return (
    <div className="diagnostics__viewer">
      <div className="diagnostics__filters">
        <div className="field">
          <label htmlFor={levelId} className="field__label">
            {t('diagnostics.level.label')}
          </label>
          <select id={levelId} className="select" data-testid="diagnostics-level" value={level} onChange={(e) => setLevel(e.target.value as LogLevel)}>
            {levels.map((l) => (
              <option key={l} value={l}>
                {t(`diagnostics.level.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field diagnostics__search">
          <label htmlFor={searchId} className="field__label">
            {t('diagnostics.search.label')}
          </label>
          <input id={searchId} className="input" type="search" data-testid="diagnostics-search" placeholder={t('diagnostics.search.placeholder')} value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
      </div>
      <p className="field__hint" data-testid="diagnostics-count">
        {t('diagnostics.count', { shown: rows.length, total: matched })}
      </p>
      {rows.length === 0 ? (
        <p className="diagnostics__empty">{t('diagnostics.empty')}</p>
      ) : (
        <ol className="diagnostics__log" data-testid="diagnostics-log" aria-label={t('diagnostics.title')}>
          {rows.map((e, i) => (
            <li key={`${e.at}-${i}`} className={`diagnostics__row diagnostics__row--${e.level}`} data-testid="diagnostics-row" data-level={e.level}>
              <time className="diagnostics__time" dateTime={new Date(e.at).toISOString()}>
                {time.format(e.at)}
              </time>
              <span className="diagnostics__level">{t(`diagnostics.levelName.${e.level}`)}</span>
              <span className="diagnostics__line">{e.line}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
