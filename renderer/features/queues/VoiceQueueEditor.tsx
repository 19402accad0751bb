import { useCallback, useEffect, useState } from 'react';
import { locales, type Locale } from '../../../core/locale';
import type { VoiceQueue } from '../../../core/wire/queues';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';

/** Each language by its own name, as the other language pickers show them. */
const endonyms: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' };

const words = (text: string) => text.split(/[,\s]+/).map((w) => w.trim().toLowerCase()).filter(Boolean);

/**
 * A lead's voice queues (issue 17), under the wallboard: the team's queue numbers (name, number, skills,
 * ring time, today's figures), a new one, and which skills and languages an agent routes on. The server
 * checks everything again (server/queues/routes.ts) and its message is shown as is.
 */
export function VoiceQueueEditor(props: { teamId: string; agents: readonly { id: string; displayName: string }[] }) {
  const t = useT();
  const load = useAppStore((s) => s.loadVoiceQueues);
  const create = useAppStore((s) => s.createVoiceQueue);
  const route = useAppStore((s) => s.setAgentRouting);
  const [queues, setQueues] = useState<VoiceQueue[] | null>(null);
  const [draft, setDraft] = useState({ name: '', number: '', skills: '', ring: '20' });
  const [agent, setAgent] = useState({ id: '', skills: '', languages: ['en'] as Locale[] });
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const { teamId } = props;
  const fail = (err: unknown) => setMessage({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
  const reload = useCallback(() => load(teamId).then(setQueues).catch(fail), [load, teamId]);
  useEffect(() => void reload(), [reload]);

  const add = async () => {
    setMessage(null);
    try {
      await create(teamId, { name: draft.name, number: draft.number.trim(), skills: words(draft.skills), ringSeconds: Number(draft.ring) });
      setDraft({ name: '', number: '', skills: '', ring: '20' });
      setMessage({ kind: 'ok', text: t('queues.editor.created') });
      await reload();
    } catch (err) {
      fail(err);
    }
  };
  const saveAgent = async () => {
    setMessage(null);
    try {
      await route(teamId, agent.id, { skills: words(agent.skills), languages: agent.languages });
      setMessage({ kind: 'ok', text: t('queues.editor.agentSaved') });
    } catch (err) {
      fail(err);
    }
  };

  return (
    <section className="floor-editor" aria-labelledby="voice-queues-title" data-testid="voice-queue-editor">
      <h2 id="voice-queues-title" className="floor-editor__title">
        {t('queues.editor.title')}
      </h2>
      <table className="floor-editor__reasons">
        <thead>
          <tr>
            <th>{t('queues.editor.name')}</th>
            <th>{t('queues.editor.number')}</th>
            <th>{t('queues.editor.skills')}</th>
            <th>{t('queues.editor.ring')}</th>
            <th>{t('queues.editor.today')}</th>
          </tr>
        </thead>
        <tbody>
          {(queues ?? []).map((q) => (
            <tr key={q.id} data-testid="voice-queue-row">
              <td>{q.name}</td>
              <td>{q.number}</td>
              <td>{q.skills.join(', ') || '–'}</td>
              <td>{q.ringSeconds}</td>
              <td>{t('queues.editor.figures', { answered: q.figures.answeredToday, abandoned: q.figures.abandonedToday, waiting: q.figures.waiting })}</td>
            </tr>
          ))}
          <tr>
            <td>
              <input className="input" aria-label={t('queues.editor.name')} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="voice-queue-name" />
            </td>
            <td>
              <input className="input" aria-label={t('queues.editor.number')} inputMode="numeric" value={draft.number} onChange={(e) => setDraft({ ...draft, number: e.target.value })} data-testid="voice-queue-number" />
            </td>
            <td>
              <input className="input" aria-label={t('queues.editor.skills')} placeholder={t('queues.editor.skillsHint')} value={draft.skills} onChange={(e) => setDraft({ ...draft, skills: e.target.value })} />
            </td>
            <td>
              <input className="input" aria-label={t('queues.editor.ring')} inputMode="numeric" value={draft.ring} onChange={(e) => setDraft({ ...draft, ring: e.target.value })} />
            </td>
            <td>
              <button type="button" className="button" onClick={() => void add()} data-testid="voice-queue-add">
                {t('queues.editor.add')}
              </button>
            </td>
          </tr>
        </tbody>
      </table>
      <div className="floor-editor__settings">
        <label className="floor-editor__field">
          <span>{t('queues.editor.agent')}</span>
          <select className="select" value={agent.id} onChange={(e) => setAgent({ ...agent, id: e.target.value })} data-testid="voice-queue-agent">
            <option value="">–</option>
            {props.agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="floor-editor__field">
          <span>{t('queues.editor.agentSkills')}</span>
          <input className="input" placeholder={t('queues.editor.skillsHint')} value={agent.skills} onChange={(e) => setAgent({ ...agent, skills: e.target.value })} />
        </label>
        <fieldset className="floor-editor__field">
          <legend>{t('queues.editor.languages')}</legend>
          {locales.map((l) => (
            <label key={l}>
              <input
                type="checkbox"
                checked={agent.languages.includes(l)}
                onChange={(e) => setAgent({ ...agent, languages: e.target.checked ? [...agent.languages, l] : agent.languages.filter((x) => x !== l) })}
              />{' '}
              {endonyms[l]}
            </label>
          ))}
        </fieldset>
        <button type="button" className="button" disabled={!agent.id} onClick={() => void saveAgent()}>
          {t('queues.editor.saveAgent')}
        </button>
      </div>
      {message && (
        <p className={message.kind === 'ok' ? 'floor-editor__ok' : 'floor-editor__error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
