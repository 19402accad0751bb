import type { Locale } from '../../../core/locale';
import type { Message } from '../../../core/wire/chat';
import { parseCallLine } from '../../../core/wire/chatCalls';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { PhoneIcon } from '../../ui/icons';
import { dateTime } from '../tickets/format';

export const outcomeKeys: Partial<Record<string, MessageKey>> = {
  answered: 'inbox.call.outcome.answered',
  missed: 'inbox.call.outcome.missed',
  declined: 'inbox.call.outcome.declined',
  cancelled: 'inbox.call.outcome.cancelled',
  rejected: 'inbox.call.outcome.rejected',
  failed: 'inbox.call.outcome.failed',
  transferred: 'inbox.call.outcome.transferred',
  consult: 'inbox.call.outcome.consult',
  network: 'inbox.call.outcome.network',
  media: 'inbox.call.outcome.media',
};

/**
 * A phone call in the conversation history (a `voice-call` line, core/wire/chatCalls.ts), in the agent's
 * language. The number came from a SIP header: it is rendered as text, never as a link.
 */
export function CallLine(props: { m: Message; t: Translate; locale: Locale }) {
  const { m, t } = props;
  const call = parseCallLine(m.body);
  const outcomeKey = call ? outcomeKeys[call.outcome] : undefined;
  const duration = call ? `${Math.floor(call.durationSeconds / 60)}:${String(call.durationSeconds % 60).padStart(2, '0')}` : '';
  return (
    <li className="msg msg--event msg--call" data-testid="chat-message" data-seq={m.seq} data-event="voice-call">
      <PhoneIcon size={14} />
      <span data-testid="call-line">
        {call
          ? t('inbox.call.line', {
              direction: t(call.direction === 'inbound' ? 'inbox.call.inbound' : 'inbox.call.outbound'),
              outcome: outcomeKey ? t(outcomeKey) : call.outcome,
              duration,
              remote: call.remote,
            })
          : m.body}
      </span>
      <time className="msg--call__time">{dateTime(props.locale, m.createdAt)}</time>
    </li>
  );
}
