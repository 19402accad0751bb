import { useMemo, useState } from 'react';
import { segmentMessage } from '../../../core/chat/safeText';
import type { Translate } from '../../i18n/i18n';

/**
 * Untrusted text (customer messages, names, file names) as React text nodes only: never HTML, never an
 * <a href>. A detected link is a button that asks the host's allow-listed opener, so a click cannot
 * navigate the app or run a `javascript:` URL; the real host is in the tooltip, and an IDN host is marked.
 * A host that mixes scripts or hides a look-alike (core/chat/linkHost.ts) shows its real, punycode host
 * inside the link itself, so "https://аpple.com/login" reads "… (the real address: xn--pple-43d.com)".
 */
export function MessageText(props: { text: string; t: Translate; openLink(href: string): Promise<boolean> }) {
  const { t } = props;
  const segmented = useMemo(() => segmentMessage(props.text), [props.text]);
  const [refused, setRefused] = useState<string | null>(null);
  return (
    <>
      {segmented.segments.map((s, i) =>
        s.kind === 'text' ? (
          <span key={i}>{s.text}</span>
        ) : (
          <button
            key={i}
            type="button"
            role="link"
            className={s.idn ? 'chat-link chat-link--idn' : 'chat-link'}
            data-testid="chat-link"
            title={s.idn ? t('inbox.link.idn', { host: s.host }) : t('inbox.link.opens', { host: s.host })}
            onClick={() => {
              void props.openLink(s.href).then((ok) => setRefused(ok ? null : s.host));
            }}
          >
            {s.text}
            {s.confusable ? (
              <span className="chat-link__host" data-testid="chat-link-host">
                {' '}
                {t('inbox.link.realHost', { host: s.host })}
              </span>
            ) : null}
          </button>
        ),
      )}
      {segmented.truncated ? <span className="chat-flag">{t('inbox.flag.truncated')}</span> : null}
      {segmented.hadBidiControls ? <span className="chat-flag">{t('inbox.flag.bidi')}</span> : null}
      {refused !== null ? (
        <span className="chat-flag chat-flag--warn" role="status">
          {t('inbox.link.refused', { host: refused })}
        </span>
      ) : null}
    </>
  );
}
