import { useState, type ReactNode } from 'react';
import { findAbuse, maskAbuse } from '../../../core/mood/abuse';
import type { Translate } from '../../i18n/i18n';

/**
 * A customer's message with insults and profanity masked (issue 20: agents' dignity); the agent may reveal
 * it with one click (evidence, context). `render` shows text the usual way (links, untrusted-text policy).
 */
export function MaskedText(props: { text: string; t: Translate; render(text: string): ReactNode }) {
  const [shown, setShown] = useState(false);
  const spans = findAbuse(props.text);
  if (spans.length === 0 || shown) return <>{props.render(props.text)}</>;
  return (
    <span className="msg__masked" data-testid="masked-message">
      {props.render(maskAbuse(props.text, spans))}{' '}
      <button type="button" className="link-button" data-testid="masked-reveal" onClick={() => setShown(true)}>
        {props.t('mood.mask.reveal')}
      </button>
    </span>
  );
}
