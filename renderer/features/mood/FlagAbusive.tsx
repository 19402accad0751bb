import { useState } from 'react';
import type { Translate } from '../../i18n/i18n';

/** The agent's one click: this customer is abusive; the team's lead is alerted (server/mood). */
export function FlagAbusive(props: { conversationId: string; t: Translate; flag(conversationId: string): Promise<unknown> }) {
  const { flag } = props;
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  if (state === 'done') return <span className="conv-view__flagged" data-testid="flag-abusive-done">{props.t('mood.flag.done')}</span>;
  return (
    <button type="button" className="button" data-testid="flag-abusive" onClick={() => flag(props.conversationId).then(() => setState('done'), () => setState('failed'))}>
      {props.t('mood.flag')}
    </button>
  );
}
