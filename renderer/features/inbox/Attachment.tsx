import { useEffect, useState } from 'react';
import { isImageMime } from '../../../core/chat/attachmentCheck';
import { safeFileName } from '../../../core/chat/safeText';
import type { Attachment } from '../../../core/wire/chat';
import type { Translate } from '../../i18n/i18n';
import { AttachIcon } from '../../ui/icons';

export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/**
 * A blob's object URL for as long as the component shows it. The file route needs the Bearer token, so the
 * raw URL can never go in an <img src>; the blob is fetched with the header and revoked on unmount.
 */
function useObjectUrl(load: (() => Promise<Blob>) | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!load) return;
    let live = true;
    let made: string | null = null;
    load().then(
      (blob) => {
        if (!live) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      () => {
        // No thumbnail (offline, signed out, gone): the name, size and download button still show.
      },
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [load]);
  return url;
}

export type AttachmentViewProps = { attachment: Attachment; t: Translate; fetchFile(id: string): Promise<Blob> };

export function AttachmentView({ attachment, t, fetchFile }: AttachmentViewProps) {
  const name = safeFileName(attachment.name);
  const image = isImageMime(attachment.mime);
  const [load] = useState(() => (image ? () => fetchFile(attachment.id) : null));
  const thumb = useObjectUrl(load);
  const [busy, setBusy] = useState(false);

  async function download() {
    setBusy(true);
    try {
      const url = URL.createObjectURL(await fetchFile(attachment.id));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      // The click has started the download by the next task; the URL is not needed after that.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch {
      // Nothing to clean up; the button stays for another try.
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="msg__attachment" data-testid="chat-attachment" data-mime={attachment.mime}>
      {thumb ? <img className="msg__thumb" src={thumb} alt={t('inbox.attach.preview', { name })} data-testid="chat-attachment-thumb" /> : null}
      <div>
        <AttachIcon size={16} /> <span>{name}</span> <span className="msg__size">({attachment.mime}, {sizeText(attachment.size)})</span>{' '}
        <button type="button" className="link-button" disabled={busy} onClick={() => void download()} data-testid="chat-attachment-download">
          {t('inbox.attach.download')}
        </button>
      </div>
    </div>
  );
}
