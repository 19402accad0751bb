import { useEffect, useRef, useState } from 'react';
import { attachmentAccept, checkAttachment, isImageMime } from '../../../core/chat/attachmentCheck';
import { safeFileName } from '../../../core/chat/safeText';
import type { AttachmentMime } from '../../../core/wire/chat';
import type { Translate } from '../../i18n/i18n';
import { ApiError } from '../../services/api/api';
import { sizeText } from './Attachment';
import { AttachIcon } from '../../ui/icons';

export type OutgoingFile = { id: string; name: string; mime: AttachmentMime; blob: Blob };

export type AttachPickerProps = {
  t: Translate;
  disabled: boolean;
  /** Internal notes are text only: a file always reaches the customer. */
  note: boolean;
  online: boolean;
  sendFile(file: OutgoingFile): Promise<void>;
  newId?: () => string;
};

type Chosen = OutgoingFile & { size: number; previewUrl: string | null };

/**
 * The composer's attach button, the chosen file's preview, and its send. Checked here against the server's
 * type list and size limit so a wrong file is refused before it is read. Online only (see attachmentClient).
 */
export function AttachPicker(props: AttachPickerProps) {
  const { t } = props;
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  // The preview's object URL lives exactly as long as this choice.
  useEffect(() => {
    const url = chosen?.previewUrl;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [chosen?.previewUrl]);

  function choose(file: File | undefined) {
    if (input.current) input.current.value = '';
    if (!file) return;
    const check = checkAttachment(file);
    if (!check.ok) {
      setChosen(null);
      setError(t(`inbox.attach.error.${check.problem}`));
      return;
    }
    setError(null);
    // The id is made once per chosen file: pressing send again after a lost answer is the same message.
    const id = props.newId?.() ?? crypto.randomUUID();
    setChosen({ id, name: file.name, mime: check.mime, blob: file, size: file.size, previewUrl: isImageMime(check.mime) ? URL.createObjectURL(file) : null });
  }

  async function send() {
    if (!chosen) return;
    if (!props.online) {
      setError(t('inbox.attach.offline'));
      return;
    }
    setSending(true);
    setError(null);
    try {
      await props.sendFile({ id: chosen.id, name: chosen.name, mime: chosen.mime, blob: chosen.blob });
      setChosen(null);
    } catch (err) {
      const unreachable = err instanceof ApiError && (err.code === 'unreachable' || err.status === 0);
      setError(unreachable ? t('inbox.attach.offline') : t('inbox.attach.error.failed', { reason: err instanceof Error ? err.message : String(err) }));
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      {chosen ? (
        <div className="attach-preview" data-testid="attach-preview">
          {chosen.previewUrl ? <img className="attach-preview__img" src={chosen.previewUrl} alt={t('inbox.attach.preview', { name: safeFileName(chosen.name) })} /> : null}
          <span className="attach-preview__name">
            <AttachIcon size={16} /> {safeFileName(chosen.name)} ({sizeText(chosen.size)})
          </span>
          <button type="button" className="button button--primary" disabled={sending || props.disabled} onClick={() => void send()} data-testid="attach-send">
            {t('inbox.attach.send')}
          </button>
          <button type="button" className="button" disabled={sending} onClick={() => setChosen(null)} data-testid="attach-remove">
            {t('inbox.attach.remove')}
          </button>
        </div>
      ) : null}
      {error ? (
        <span className="composer__error" role="alert" data-testid="attach-error">
          {error}
        </span>
      ) : null}
      <input ref={input} type="file" accept={attachmentAccept} hidden onChange={(e) => choose(e.target.files?.[0])} data-testid="attach-input" />
      <button
        type="button"
        className="button"
        disabled={props.disabled || props.note || sending}
        title={props.note ? t('inbox.attach.notes') : t('inbox.attach.button')}
        onClick={() => input.current?.click()}
        data-testid="attach-button"
      >
        <AttachIcon size={16} /> {t('inbox.attach.button')}
      </button>
    </>
  );
}
