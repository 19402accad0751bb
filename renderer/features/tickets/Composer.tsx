import { useEffect, useRef, useState } from 'react';
import type { CommentKind } from '../../../core/tickets/model';
import type { Translate } from '../../i18n/i18n';
import type { TicketsServices } from '../../services/sync/syncPart';

/** Long enough not to write on every keystroke, short enough that a crash loses a second of typing at most. */
const draftDelayMs = 400;

/**
 * Reply / internal-note composer. The draft goes to the drafts repo (strict-durability outbox database)
 * as the agent types, and is read back when the ticket is opened again, also after a restart. Sending
 * is an addComment mutation with a client-minted id, so a retried push never posts it twice.
 */
export function Composer(props: { services: TicketsServices; ticketId: string; t: Translate }) {
  const { services, ticketId, t } = props;
  const [body, setBody] = useState('');
  const [kind, setKind] = useState<CommentKind>('public');
  const [loaded, setLoaded] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<{ body: string; kind: CommentKind } | null>(null);
  const timer = useRef<number | null>(null);

  useEffect(() => {
    let live = true;
    void services.drafts.get(ticketId).then((draft) => {
      if (!live) return;
      if (draft) {
        setBody(draft.body);
        setKind(draft.kind);
        setSaved(true);
      }
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [services, ticketId]);

  // Whatever is still waiting is written when the ticket closes or the page goes away.
  useEffect(() => {
    const flush = () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = null;
      const next = pending.current;
      pending.current = null;
      if (next) void services.drafts.save(ticketId, next.body, next.kind);
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [services, ticketId]);

  const schedule = (nextBody: string, nextKind: CommentKind) => {
    pending.current = { body: nextBody, kind: nextKind };
    setSaved(false);
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = null;
      const next = pending.current;
      pending.current = null;
      if (next)
        void services.drafts.save(ticketId, next.body, next.kind).then(
          () => setSaved(next.body.trim() !== ''),
          (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
        );
    }, draftDelayMs);
  };

  const send = async () => {
    const text = body.trim();
    if (text === '') return;
    setError(null);
    try {
      await services.engine.mutate('addComment', { commentId: crypto.randomUUID(), ticketId, kind, body: text });
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = null;
      pending.current = null;
      setBody('');
      setSaved(false);
      await services.drafts.clear(ticketId);
    } catch (err) {
      // Refused before queueing (e.g. too long): the text stays in the box and in the draft.
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const note = kind === 'internal';
  return (
    <form
      className={`composer${note ? ' composer--note' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      data-testid="composer"
    >
      <div className="composer__kinds" role="radiogroup" aria-label={t('tickets.composer.kind')}>
        {(['public', 'internal'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={kind === k}
            className={`composer__kind${kind === k ? ' composer__kind--on' : ''}`}
            onClick={() => {
              setKind(k);
              if (body.trim() !== '') schedule(body, k);
            }}
          >
            {k === 'public' ? t('tickets.composer.reply') : t('tickets.composer.note')}
          </button>
        ))}
      </div>
      <label className="visually-hidden" htmlFor={`composer-${ticketId}`}>
        {t('tickets.composer.label')}
      </label>
      <textarea
        id={`composer-${ticketId}`}
        className="composer__input"
        rows={4}
        disabled={!loaded}
        value={body}
        placeholder={note ? t('tickets.composer.notePlaceholder') : t('tickets.composer.replyPlaceholder')}
        onChange={(e) => {
          setBody(e.target.value);
          schedule(e.target.value, kind);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
        data-testid="composer-input"
      />
      {error && (
        <p className="alert" role="alert">
          {t('tickets.error.local', { message: error })}
        </p>
      )}
      <div className="composer__footer">
        <span className="composer__status" aria-live="polite" data-testid="draft-status">
          {saved ? t('tickets.composer.draftSaved') : t('tickets.composer.hint')}
        </span>
        <button type="submit" className="button button--primary" disabled={body.trim() === ''} data-testid="composer-send">
          {note ? t('tickets.composer.addNote') : t('tickets.composer.send')}
        </button>
      </div>
    </form>
  );
}
