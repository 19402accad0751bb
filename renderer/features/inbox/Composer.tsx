import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Locale } from '../../../core/locale';
import { fillTemplate, type TemplateContext } from '../../../core/replies/template';
import { searchReplies, recordUse, type ReplyHit, type ReplyIndex } from '../../../core/replies/search';
import { chatLimits } from '../../../core/wire/chat';
import type { Translate } from '../../i18n/i18n';
import { ChatSendError } from '../../services/chat/chatService';
import { AttachPicker, type OutgoingFile } from './AttachPicker';
import { ShownName } from '../../ui/ShownName';

/** `/query` right before the caret, at the start or after a space: the quick-reply search. */
const slashQuery = /(^|\s)\/([^\s/]*)$/;

export type ComposerProps = {
  conversationId: string;
  language: Locale;
  context: TemplateContext;
  index: ReplyIndex | null;
  disabled: boolean;
  /** A lead coaching someone else's chat: only whisper notes (never reach the customer). */
  notesOnly?: boolean;
  t: Translate;
  send(input: { kind: 'text' | 'note'; body: string; quickReplyId?: string }): Promise<void>;
  onTyping(typing: boolean): void;
  onReplyUsed(id: string): void;
  /** False in an offline session: attachments are not queued (see services/chat/attachmentClient). */
  online: boolean;
  sendFile(file: OutgoingFile): Promise<void>;
};

export function Composer(props: ComposerProps) {
  const { t } = props;
  const [text, setText] = useState('');
  const [noteChosen, setNote] = useState(false);
  const note = props.notesOnly === true || noteChosen;
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  const [used, setUsed] = useState<{ id: string; unknown: string[]; missing: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);

  const match = slashQuery.exec(text.slice(0, caret));
  const query = match ? match[2]! : null;
  const open = query !== null && props.index !== null && dismissedAt !== text;
  const hits: ReplyHit[] = useMemo(
    () => (open && props.index ? searchReplies(props.index, query ?? '', { language: props.language, limit: 8 }) : []),
    [open, props.index, query, props.language],
  );

  function pick(hit: ReplyHit) {
    if (!match || !hit.variant) return;
    const filled = fillTemplate(hit.variant.body, props.context);
    const start = caret - match[2]!.length - 1;
    const next = text.slice(0, start) + filled.text + text.slice(caret);
    setText(next);
    const at = start + filled.text.length;
    setCaret(at);
    setUsed({ id: hit.reply.id, unknown: filled.unknown, missing: filled.missing });
    if (props.index) recordUse(props.index, hit.reply.id);
    props.onReplyUsed(hit.reply.id);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(at, at);
    });
  }

  async function submit() {
    const body = text;
    const reply = used;
    if (body.trim() === '') return;
    // Cleared before the durable write, not after it: what the agent types while the write is under way
    // is the next message, and clearing afterwards wiped it (fast typists lost whole messages).
    setText('');
    setCaret(0);
    setUsed(null);
    setError(null);
    props.onTyping(false);
    try {
      await props.send({ kind: note ? 'note' : 'text', body, ...(reply ? { quickReplyId: reply.id } : {}) });
    } catch (err) {
      // Nothing was queued: the text comes back, unless the agent has already started another message.
      setText((current) => (current === '' ? body : current));
      setError(err instanceof ChatSendError ? t(`inbox.composer.error.${err.code}`) : String(err));
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (open && hits.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(hits[Math.min(active, hits.length - 1)]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissedAt(text);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  }

  const over = text.length > chatLimits.messageBody;
  return (
    <div className={note ? 'composer composer--note' : 'composer'} data-testid="chat-composer">
      {open && hits.length > 0 ? (
        <ul className="reply-picker" role="listbox" aria-label={t('inbox.replies.label')} data-testid="reply-picker">
          {hits.map((hit, i) => (
            <li
              key={hit.reply.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'reply-picker__item reply-picker__item--active' : 'reply-picker__item'}
              data-testid="reply-option"
              data-shortcut={hit.reply.shortcut}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(hit);
              }}
            >
              <span className="reply-picker__shortcut">/{hit.reply.shortcut}</span>
              <ShownName className="reply-picker__title" text={hit.reply.title} flagLabel={t('text.flag.hidden')} />
              <span className="reply-picker__body">{hit.variant?.body ?? ''}</span>
              {hit.variant?.fallback ? <span className="reply-picker__lang">{hit.variant.language}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {open && hits.length === 0 ? <div className="reply-picker reply-picker--empty">{t('inbox.replies.none')}</div> : null}
      {used && (used.unknown.length > 0 || used.missing.length > 0) ? (
        <div className="composer__flags" role="status" data-testid="reply-flags">
          {used.missing.length > 0 ? <span>{t('inbox.replies.missing', { names: used.missing.join(', ') })}</span> : null}
          {used.unknown.length > 0 ? <span>{t('inbox.replies.unknown', { names: used.unknown.join(', ') })}</span> : null}
        </div>
      ) : null}
      <textarea
        ref={ref}
        className="composer__input"
        data-testid="chat-input"
        aria-label={note ? t('inbox.composer.noteLabel') : t('inbox.composer.label')}
        placeholder={props.notesOnly ? t('coach.whisperPlaceholder') : note ? t('inbox.composer.notePlaceholder') : t('inbox.composer.placeholder')}
        value={text}
        disabled={props.disabled}
        rows={3}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart);
          setActive(0);
          if (!note) props.onTyping(e.target.value !== '');
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
      />
      <div className="composer__bar">
        <label className="composer__note">
          <input type="checkbox" checked={note} disabled={props.notesOnly === true} onChange={(e) => setNote(e.target.checked)} data-testid="chat-note-toggle" />
          {t('inbox.composer.note')}
        </label>
        <AttachPicker t={t} disabled={props.disabled} note={note} online={props.online} sendFile={props.sendFile} />
        <span className={over ? 'composer__count composer__count--over' : 'composer__count'}>
          {text.length}/{chatLimits.messageBody}
        </span>
        {error ? (
          <span className="composer__error" role="alert">
            {error}
          </span>
        ) : null}
        <button type="button" className="button button--primary" data-testid="chat-send" disabled={props.disabled || text.trim() === '' || over} onClick={() => void submit()}>
          {note ? t('inbox.composer.addNote') : t('inbox.composer.send')}
        </button>
      </div>
    </div>
  );
}
