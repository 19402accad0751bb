import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo } from 'react';
import type { Locale } from '../../../core/locale';
import type { TemplateContext } from '../../../core/replies/template';
import type { ReplyIndex } from '../../../core/replies/search';
import type { Message } from '../../../core/wire/chat';
import type { Translate } from '../../i18n/i18n';
import type { ChatOutboxRow } from '../../services/db/chatRows';
import { dateTime } from '../tickets/format';
import type { ChatServices } from '../../services/chat/chatPart';
import { AttachmentView } from './Attachment';
import { CallLine } from './CallLine';
import { Composer } from './Composer';
import { ChannelIcon } from './ConversationList';
import { MessageText } from './MessageText';
import { showName } from '../../../core/chat/safeText';
import { ShownName } from '../../ui/ShownName';
import { MaskedText } from '../mood/MaskedText';
import { FlagAbusive } from '../mood/FlagAbusive';
import { MoodTrend } from '../mood/MoodTrend';
import type { MoodPoint } from '../../../core/wire/mood';

export type ConversationViewProps = {
  chat: ChatServices;
  conversationId: string;
  index: ReplyIndex | null;
  customerTyping: boolean;
  locale: Locale;
  t: Translate;
  onOpenTicket(ticketId: string): void;
  onOpenConversation(id: string): void;
  /** The conversation's mood (issue 20): the trend in the header and the agent's abusive flag; without it, neither shows. */
  mood?: { load(conversationId: string): Promise<{ points: MoodPoint[] }>; flag(conversationId: string): Promise<unknown> };
};

export function MessageRow(props: { m: Message; readByCustomer: boolean; t: Translate; locale: Locale; openLink(href: string): Promise<boolean>; fetchFile(id: string): Promise<Blob> }) {
  const { m, t } = props;
  if (m.kind === 'event' && m.eventCode === 'voice-call') return <CallLine m={m} t={t} locale={props.locale} />;
  if (m.kind === 'event') {
    return (
      <li className="msg msg--event" data-testid="chat-message" data-seq={m.seq}>
        {m.eventCode ? t(`inbox.event.${m.eventCode}`) : <MessageText text={m.body} t={t} openLink={props.openLink} />}
      </li>
    );
  }
  const side = m.author === 'customer' ? 'msg--customer' : 'msg--agent';
  return (
    <li className={`msg ${side}${m.kind === 'note' ? ' msg--note' : ''}${m.author === 'coach' ? ' msg--coach' : ''}`} data-testid="chat-message" data-seq={m.seq} data-author={m.author}>
      <div className="msg__head">
        <ShownName className="msg__author" testId="chat-message-author" text={m.authorName} fallback={t(`inbox.author.${m.author}`)} flagLabel={t('text.flag.hidden')} />
        {m.kind === 'note' ? <span className="msg__tag">{m.author === 'coach' ? t('coach.noteTag') : t('inbox.note')}</span> : null}
        <span className="msg__time">{dateTime(props.locale, m.createdAt)}</span>
      </div>
      <div className="msg__body" data-testid="chat-message-body">
        {/* An attachment's body is its (already safe) file name: shown once, in the attachment line. */}
        {m.attachment ? (
          <AttachmentView attachment={m.attachment} t={t} fetchFile={props.fetchFile} />
        ) : m.author === 'customer' ? (
          <MaskedText text={m.body} t={t} render={(text) => <MessageText text={text} t={t} openLink={props.openLink} />} />
        ) : (
          <MessageText text={m.body} t={t} openLink={props.openLink} />
        )}
      </div>
      {m.author === 'agent' && m.kind === 'text' ? <div className="msg__receipt">{props.readByCustomer ? t('inbox.read') : t('inbox.delivered')}</div> : null}
    </li>
  );
}

function PendingRow(props: { row: ChatOutboxRow; t: Translate; chat: ChatServices; locale: Locale }) {
  const { row, t } = props;
  return (
    <li className={`msg msg--agent msg--pending${row.kind === 'note' ? ' msg--note' : ''}`} data-testid="chat-pending" data-status={row.status}>
      <div className="msg__head">
        <span className="msg__author">{props.chat.user.displayName}</span>
        <span className="msg__time">{dateTime(props.locale, row.createdAt)}</span>
      </div>
      <div className="msg__body">
        <MessageText text={row.body} t={t} openLink={props.chat.openLink} />
      </div>
      <div className="msg__receipt">
        {row.status === 'pending' ? t('inbox.pending') : t('inbox.failed', { reason: row.error ?? '' })}
        {row.status === 'failed' ? (
          <>
            <button type="button" className="link-button" onClick={() => void props.chat.service.retry(row.id)}>
              {t('inbox.retry')}
            </button>
            <button type="button" className="link-button" onClick={() => void props.chat.service.discard(row.id)}>
              {t('inbox.discard')}
            </button>
          </>
        ) : null}
      </div>
    </li>
  );
}

export function ConversationView(props: ConversationViewProps) {
  const { chat, conversationId, t } = props;
  const conversation = useLiveQuery(() => chat.repo.conversation(conversationId), [chat, conversationId]);
  const messages = useLiveQuery(() => chat.repo.messages(conversationId), [chat, conversationId]);
  const pending = useLiveQuery(() => chat.repo.pendingFor(conversationId), [chat, conversationId]);
  const history = useLiveQuery(
    () => (conversation ? chat.repo.history(conversation.customerId, conversation.id) : Promise.resolve([])),
    [chat, conversation?.customerId, conversation?.id],
  );

  useEffect(() => {
    chat.service.open(conversationId).catch(() => {
      // Offline: the cached messages are shown; the socket fills in the rest when it reconnects.
    });
  }, [chat, conversationId]);

  const lastCustomerSeq = useMemo(() => (messages ?? []).filter((m) => m.author === 'customer').reduce((max, m) => Math.max(max, m.seq), 0), [messages]);
  useEffect(() => {
    if (lastCustomerSeq > 0 && conversation?.assigneeId === chat.user.id && document.visibilityState === 'visible') chat.service.markRead(conversationId, lastCustomerSeq);
  }, [chat, conversationId, lastCustomerSeq, conversation?.assigneeId]);

  const context: TemplateContext = useMemo(
    () => ({
      customer: { name: conversation?.customerName ?? null },
      agent: { name: chat.user.displayName },
      ticket: { id: conversation?.ticketId ?? null, number: conversation?.ticketNumber ?? null },
      team: { name: chat.user.teams.find((tm) => tm.id === conversation?.teamId)?.name ?? null },
    }),
    [conversation, chat.user],
  );

  if (!conversation) return <div className="conv-view conv-view--empty">{t('inbox.loading')}</div>;
  const confirmedIds = new Set((messages ?? []).map((m) => m.id));
  const customerName = showName(conversation.customerName).text || t('inbox.customer.anonymous');
  const mine = conversation.assigneeId === chat.user.id;
  // A lead on a teammate's live chat reads along, whispers (notes marked as coaching) or takes it over.
  const coaching = !mine && chat.user.role === 'lead' && conversation.state === 'active' && chat.user.teams.some((tm) => tm.id === conversation.teamId);
  const canAccept = (conversation.state === 'offered' && conversation.offeredToId === chat.user.id) || conversation.state === 'queued';

  return (
    <section className="conv-view" aria-label={customerName} data-testid="conversation-view" data-state={conversation.state}>
      <header className="conv-view__head">
        <span className="conv-view__channel" aria-label={t(`inbox.channel.${conversation.channel}`)}>
          <ChannelIcon channel={conversation.channel} />
        </span>
        <h2 className="conv-view__name" data-testid="conversation-customer">
          <ShownName text={conversation.customerName} fallback={t('inbox.customer.anonymous')} flagLabel={t('text.flag.hidden')} />
        </h2>
        {conversation.subject ? (
          <span className="conv-view__subject" data-testid="conversation-view-subject">
            {conversation.subject}
          </span>
        ) : null}
        <span className="conv-view__meta">
          {t(`inbox.state.${conversation.state}`)} · {conversation.language}
          {conversation.country ? ` · ${conversation.country}` : ''}
          {conversation.product ? ` · ${conversation.product}` : ''}
        </span>
        <button type="button" className="link-button" data-testid="conversation-ticket" onClick={() => props.onOpenTicket(conversation.ticketId)}>
          {t('inbox.ticket', { number: conversation.ticketNumber })}
        </button>
        {props.mood ? <MoodTrend conversationId={conversation.id} lastCustomerSeq={lastCustomerSeq} t={t} load={props.mood.load} /> : null}
        <span className="conv-view__actions">
          {props.mood && mine && conversation.state === 'active' ? <FlagAbusive conversationId={conversation.id} t={t} flag={props.mood.flag} /> : null}
          {canAccept ? (
            <button type="button" className="button button--primary" data-testid="conversation-accept" onClick={() => void chat.service.accept(conversation.id)}>
              {t('inbox.offer.accept')}
            </button>
          ) : null}
          {coaching ? (
            <button type="button" className="button" data-testid="conversation-takeover" onClick={() => void chat.service.takeover(conversation.id)}>
              {t('coach.takeover')}
            </button>
          ) : null}
          {mine && conversation.state === 'active' ? (
            <button type="button" className="button" data-testid="conversation-close" onClick={() => void chat.service.close(conversation.id)}>
              {t('inbox.close')}
            </button>
          ) : null}
        </span>
      </header>
      <div className="conv-view__body">
        <ol className="msg-list" data-testid="message-list" aria-live="polite">
          {(messages ?? []).map((m) => (
            <MessageRow key={m.id} m={m} readByCustomer={m.seq <= conversation.customerReadSeq} t={t} locale={props.locale} openLink={chat.openLink} fetchFile={chat.attachments.fetchFile} />
          ))}
          {(pending ?? [])
            .filter((row) => !confirmedIds.has(row.id))
            .map((row) => (
              <PendingRow key={row.id} row={row} t={t} chat={chat} locale={props.locale} />
            ))}
        </ol>
        <aside className="conv-history" aria-label={t('inbox.history')}>
          <h3>{t('inbox.history')}</h3>
          {history && history.length > 0 ? (
            <ul>
              {history.map((h) => (
                <li key={h.id}>
                  <button type="button" className="link-button" onClick={() => props.onOpenConversation(h.id)}>
                    <ChannelIcon channel={h.channel} size={14} /> {dateTime(props.locale, h.createdAt)} · {t(`inbox.state.${h.state}`)}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="conv-history__none">{t('inbox.history.none')}</p>
          )}
        </aside>
      </div>
      {props.customerTyping ? (
        <div className="conv-view__typing" data-testid="customer-typing" role="status">
          {t('inbox.typing', { name: customerName })}
        </div>
      ) : null}
      {conversation.state === 'closed' ? (
        <div className="conv-view__closed">{t('inbox.closed')}</div>
      ) : (
        <Composer
          key={conversation.id}
          conversationId={conversation.id}
          language={conversation.language}
          context={context}
          index={props.index}
          disabled={!mine && !coaching}
          notesOnly={coaching}
          t={t}
          send={async (input) => {
            await chat.service.send(conversation.id, input);
          }}
          online={!chat.offline}
          sendFile={async (file) => {
            await chat.attachments.send(conversation.id, file);
            // The socket brings the message too; this shows it at once even if the socket is reconnecting.
            await chat.service.open(conversation.id);
          }}
          onTyping={(typing) => chat.service.typing(conversation.id, typing)}
          onReplyUsed={(id) => void chat.replies.recordUse(id)}
        />
      )}
    </section>
  );
}
