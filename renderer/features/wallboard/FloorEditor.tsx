import { useEffect, useState } from 'react';
import type { BreakReasonInput, FloorSettings, WrapUpNext } from '../../../core/wire/board';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { TeamFloor } from '../../stores/boardSlice';

type Row = { key: string; id?: string; code: string; en: string; zhCN: string; zhTW: string; active: boolean };
const wrapUpNexts: readonly WrapUpNext[] = ['available', 'busy', 'break', 'offline'];

/**
 * A lead edits their team's floor: the break reasons agents pick from (labels in every language the app
 * ships in; unticking retires one, history keeps it), the wrap-up limit, the answer target, the time zone and
 * the first-contact-resolution window of the KPIs. Saved in one request (PUT /teams/:teamId/floor, one
 * transaction); the server checks everything again (server/presence/settings.ts) and its message is shown as is.
 */
export function FloorEditor(props: { teamId: string; load(teamId: string): Promise<TeamFloor>; onClose(): void }) {
  const t = useT();
  const saveTeamFloor = useAppStore((s) => s.saveTeamFloor);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [floor, setFloor] = useState<FloorSettings | null>(null);
  const [limitText, setLimitText] = useState('');
  const [fcrText, setFcrText] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const { teamId, load } = props;

  useEffect(() => {
    load(teamId)
      .then((f) => {
        setRows(f.reasons.map((r) => ({ key: r.id, id: r.id, code: r.code, en: r.labels.en, zhCN: r.labels['zh-CN'], zhTW: r.labels['zh-TW'], active: r.active })));
        setFloor(f.floor);
        setLimitText(f.floor.wrapUpLimitSeconds === null ? '' : String(f.floor.wrapUpLimitSeconds));
        setFcrText(String(f.fcrWindowDays));
      })
      .catch((err: unknown) => setMessage({ kind: 'error', text: err instanceof Error ? err.message : String(err) }));
  }, [teamId, load]);

  if (!rows || !floor) return message ? <p className="alert" role="alert">{message.text}</p> : null;

  const edit = (key: string, patch: Partial<Row>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => setRows([...rows, { key: `new-${rows.length}-${Date.now()}`, code: '', en: '', zhCN: '', zhTW: '', active: true }]);
  const save = async () => {
    setSaving(true);
    setMessage(null);
    try {
      const reasons: BreakReasonInput[] = rows.map((r) => ({
        ...(r.id ? { id: r.id } : {}),
        code: r.code.trim(),
        labels: { en: r.en, 'zh-CN': r.zhCN, 'zh-TW': r.zhTW },
        active: r.active,
      }));
      const limit = limitText.trim() === '' ? null : Number(limitText);
      // One request: the server saves all of it in one transaction or refuses all of it with its message.
      await saveTeamFloor(teamId, { floor: { ...floor, wrapUpLimitSeconds: limit }, reasons, fcrWindowDays: Number(fcrText) });
      setMessage({ kind: 'ok', text: t('board.floor.saved') });
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="floor-editor" aria-labelledby="floor-editor-title" data-testid="floor-editor">
      <h2 id="floor-editor-title" className="floor-editor__title">
        {t('board.floor.title')}
      </h2>
      <div className="floor-editor__settings">
        <label className="floor-editor__field">
          <span>{t('board.floor.wrapUpLimit')}</span>
          <input className="input" inputMode="numeric" value={limitText} placeholder={t('board.floor.noLimit')} onChange={(e) => setLimitText(e.target.value)} data-testid="floor-wrapup-limit" />
        </label>
        <label className="floor-editor__field">
          <span>{t('board.floor.wrapUpNext')}</span>
          <select className="select" value={floor.wrapUpNext} onChange={(e) => setFloor({ ...floor, wrapUpNext: e.target.value as WrapUpNext })}>
            {wrapUpNexts.map((p) => (
              <option key={p} value={p}>
                {t(`presence.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="floor-editor__field">
          <span>{t('board.floor.answerTarget')}</span>
          <input className="input" inputMode="numeric" value={floor.answerTargetSeconds} onChange={(e) => setFloor({ ...floor, answerTargetSeconds: Number(e.target.value) || 0 })} />
        </label>
        <label className="floor-editor__field">
          <span>{t('board.floor.fcrDays')}</span>
          <input className="input" inputMode="numeric" value={fcrText} onChange={(e) => setFcrText(e.target.value)} data-testid="floor-fcr-days" aria-describedby="floor-fcr-hint" />
          <small id="floor-fcr-hint" className="floor-editor__hint">
            {t('board.floor.fcrHint')}
          </small>
        </label>
        <label className="floor-editor__field">
          <span>{t('board.floor.timeZone')}</span>
          <input className="input" value={floor.timeZone} onChange={(e) => setFloor({ ...floor, timeZone: e.target.value })} />
        </label>
      </div>
      <table className="data-table floor-editor__reasons">
        <caption className="visually-hidden">{t('board.floor.reasons')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('board.floor.code')}</th>
            <th scope="col">English</th>
            <th scope="col">简体中文</th>
            <th scope="col">繁體中文</th>
            <th scope="col">{t('board.floor.active')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid="floor-reason">
              <td>
                <input className="input" value={r.code} aria-label={t('board.floor.code')} onChange={(e) => edit(r.key, { code: e.target.value })} />
              </td>
              <td>
                <input className="input" value={r.en} lang="en" aria-label="English" onChange={(e) => edit(r.key, { en: e.target.value })} />
              </td>
              <td>
                <input className="input" value={r.zhCN} lang="zh-CN" aria-label="简体中文" onChange={(e) => edit(r.key, { zhCN: e.target.value })} />
              </td>
              <td>
                <input className="input" value={r.zhTW} lang="zh-TW" aria-label="繁體中文" onChange={(e) => edit(r.key, { zhTW: e.target.value })} />
              </td>
              <td>
                <input type="checkbox" checked={r.active} aria-label={t('board.floor.active')} onChange={(e) => edit(r.key, { active: e.target.checked })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="floor-editor__actions">
        <button type="button" className="button" onClick={add}>
          {t('board.floor.add')}
        </button>
        <button type="button" className="button button--primary" onClick={() => void save()} disabled={saving} data-testid="floor-save">
          {t('board.floor.save')}
        </button>
        <button type="button" className="button" onClick={props.onClose}>
          {t('board.floor.close')}
        </button>
        {message && (
          <span className={message.kind === 'ok' ? 'floor-editor__ok' : 'floor-editor__error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
            {message.text}
          </span>
        )}
      </div>
    </section>
  );
}
