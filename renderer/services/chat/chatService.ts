import {
  chatPath,
  chatRoutes,
  Conversation,
  ConversationDetail,
  ConversationList,
  Message,
  MessageBody,
  PresenceState,
  type ChatEvent,
} from '../../../core/wire/chat';
import type { Presence } from '../../../core/presence';

/** What the agent chose: a presence and, with `break`, the team's break reason. */
export type PresenceChoice = { presence: Presence; reasonId: string | null };
import { ApiError } from '../api/api';
import type { ChatRepo } from '../db/chatRepo';
import { createChatSocket, type SocketLike } from './chatSocket';
import { callReportsLane } from '../session/userSession';
import { createOutboxDrainer, type OutboxDrainer, type OutboxLane } from '../outbox/outboxDrainer';
import { CallReportResult, callRoutes } from '../../../core/wire/chatCalls';
import type { CallReportsRepo } from '../db/callReports';
import { quickRepliesPath, quickReplyPath, type RepliesRepo } from '../db/repliesRepo';

export type ChatHttp = {
  getJson(path: string): Promise<unknown>;
  postJson(path: string, body: unknown): Promise<unknown>;
  deleteJson(path: string): Promise<unknown>;
  accessToken(): string | null;
};

/** How the service reports what is not in Dexie (ephemeral state) to whoever shows it. */
export type ChatDelegate = {
  onConnected(connected: boolean): void;
  onOffer(conversation: Conversation, expiresAt: number): void;
  onOfferGone(conversationId: string): void;
  onCustomerTyping(conversationId: string, typing: boolean): void;
  onChanged(): void;
};

export type ChatServiceDeps = {
  userId: string;
  repo: ChatRepo;
  replies: RepliesRepo;
  /** Finished calls the phone logged, for the conversation history (POST /chat/calls). */
  calls: CallReportsRepo;
  http: ChatHttp;
  /** Null in an offline session: nothing is attempted against the server, messages wait in the outbox. */
  openSocket: ((path: string) => SocketLike) | null;
  delegate: ChatDelegate;
  newId(): string;
  now(): number;
  setTimeout(fn: () => void, ms: number): () => void;
  log(line: string): void;
  /** The user session's outbox drainer; a service of its own (tests) makes one. */
  drainer?: OutboxDrainer;
};

export class ChatSendError extends Error {
  override readonly name = 'ChatSendError';
  constructor(
    readonly code: 'empty' | 'too-long' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** Network trouble (retry later) as opposed to the server refusing the message for good. */
const isTransient = (err: unknown) => !(err instanceof ApiError) || err.code === 'unreachable' || err.status === 0 || err.status >= 500 || err.status === 401 || err.status === 429;

/**
 * The chat side of the app: REST calls, the realtime socket, and the message outbox. A message is written
 * to the outbox (strict durability) before anything is sent, then sent in order, one at a time, with the
 * client-generated id the server deduplicates on: a message survives a restart and reaches the customer once.
 */
export function createChatService(deps: ChatServiceDeps) {
  const { repo, http, delegate, log } = deps;
  const online = deps.openSocket !== null;
  // The user session's drainer when it runs this service (one drainer for every kind of pending work).
  const drainer = deps.drainer ?? createOutboxDrainer({ setTimeout: deps.setTimeout, log });
  const typingTimers = new Map<string, () => void>();

  async function handleEvents(events: ChatEvent[]): Promise<void> {
    await repo.applyEvents(events);
    for (const event of events) {
      if (event.type === 'typing' && event.who === 'customer') delegate.onCustomerTyping(event.conversationId, event.typing);
      if (event.type === 'message' && event.message.author === 'customer') delegate.onCustomerTyping(event.conversationId, false);
      if (event.type === 'offer' && event.agentId === deps.userId) delegate.onOffer(event.conversation, event.expiresAt);
      if ((event.type === 'assignment' || event.type === 'conversation') && !(event.conversation.state === 'offered' && event.conversation.offeredToId === deps.userId)) {
        delegate.onOfferGone(event.conversationId);
      }
    }
    delegate.onChanged();
  }

  async function fetchList(): Promise<number> {
    const list = ConversationList.parse(await http.getJson(chatRoutes.conversations));
    await repo.putConversations(list.conversations);
    for (const c of list.conversations) {
      if (c.state === 'offered' && c.offeredToId === deps.userId && c.offerExpiresAt !== null) delegate.onOffer(c, c.offerExpiresAt);
    }
    delegate.onChanged();
    return list.cursor;
  }

  const socket = deps.openSocket
    ? createChatSocket({
        open: deps.openSocket,
        async prepare() {
          // The list doubles as a token refresh: an expired access token is renewed by the GET's 401 path.
          const listCursor = await fetchList();
          await repo.setCursorIfUnset(listCursor);
          const token = http.accessToken();
          if (token === null) throw new Error('no access token');
          void refreshReplies();
          return { token, cursor: await repo.cursor() };
        },
        onEvents: handleEvents,
        onConnected(connected) {
          delegate.onConnected(connected);
          if (connected) void drainer.nudge();
        },
        onRepliesChanged: () => void refreshReplies(),
        setTimeout: deps.setTimeout,
        log,
      })
    : null;

  async function refreshReplies(): Promise<void> {
    // Local changes go first, so the list fetched next already has them and a lead sees no flicker back.
    await drainReplies();
    try {
      const result = await deps.replies.replaceServerReplies(await http.getJson(quickRepliesPath));
      if (result.skipped > 0) log(`[chat] ${result.skipped} quick replies from the server did not match the schema and were skipped`);
    } catch (err) {
      // 404: this server keeps no reply library; the local one still works.
      if (!(err instanceof ApiError && err.status === 404)) log(`[chat] quick replies not refreshed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Chat messages, in the order written, each with the client id the server deduplicates on. */
  const messagesLane: OutboxLane = {
    name: 'chat-messages',
    async drainOnce() {
      if (!online) return 'done';
      try {
        for (const row of await repo.pending()) {
          try {
            const body = { id: row.id, kind: row.kind, body: row.body, ...(row.quickReplyId ? { quickReplyId: row.quickReplyId } : {}) };
            const message = Message.parse(await http.postJson(chatPath(chatRoutes.messages, { id: row.conversationId }), body));
            await repo.confirm(message);
          } catch (err) {
            if (isTransient(err)) {
              log(`[chat ${row.conversationId}] message ${row.id} not sent yet: ${err instanceof Error ? err.message : String(err)}`);
              return 'retry';
            }
            log(`[chat ${row.conversationId}] message ${row.id} refused: ${err instanceof Error ? err.message : String(err)}`);
            await repo.markFailed(row.id, err instanceof Error ? err.message : String(err));
          }
        }
        return 'done';
      } finally {
        delegate.onChanged();
      }
    },
  };

  /**
   * The quick-reply changes made here, oldest first: a put is POST /quick-replies with the reply's own id
   * (create-or-replace, so a resend after a lost response changes nothing), a delete is DELETE (404: already
   * gone). A refusal (403 not allowed, 400 invalid) is kept and shown with its reason.
   */
  const repliesLane: OutboxLane = {
    name: 'reply-edits',
    async drainOnce() {
      if (!online) return 'done';
      for (const change of await deps.replies.changes()) {
        if (change.status === 'failed') continue;
        try {
          if (change.op === 'delete') {
            await http.deleteJson(quickReplyPath(change.id)).catch((err: unknown) => {
              if (!(err instanceof ApiError && err.status === 404)) throw err;
            });
            await deps.replies.confirmDelete(change);
          } else {
            const { id, teamId, category, shortcut, title, bodies } = change.reply;
            await deps.replies.confirmPut(change, await http.postJson(quickRepliesPath, { id, teamId, category, shortcut, title, bodies }));
          }
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          if (isTransient(err)) {
            log(`[replies ${change.id}] ${change.op} not sent yet: ${message}`);
            return 'retry';
          }
          log(`[replies ${change.id}] ${change.op} refused: ${message}`);
          await deps.replies.markFailed(change, message);
        }
      }
      return 'done';
    },
  };

  /** Logged calls for the conversation history, oldest first. */
  const callsLane: OutboxLane = {
    name: callReportsLane,
    async drainOnce() {
      if (!online) return 'done';
      for (const row of await deps.calls.pending()) {
        try {
          const result = CallReportResult.parse(await http.postJson(callRoutes.calls, row.report));
          await deps.calls.confirm(row);
          log(`[call ${row.callId}] in the history of conversation ${result.conversationId}${result.duplicate ? ' (already there)' : ''}`);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          if (isTransient(err)) {
            log(`[call ${row.callId}] report not sent yet: ${message}`);
            return 'retry';
          }
          log(`[call ${row.callId}] report refused: ${message}`);
          await deps.calls.markFailed(row, message);
        }
      }
      return 'done';
    },
  };

  drainer.addLane(messagesLane);
  drainer.addLane(repliesLane);
  drainer.addLane(callsLane);
  const drainReplies = () => drainer.drain(repliesLane.name);
  const drainCalls = () => drainer.drain(callsLane.name);

  const post = async (route: string, id: string, body: unknown = {}) => http.postJson(chatPath(route, { id }), body);

  return {
    start(): void {
      socket?.start();
    },
    stop(): void {
      socket?.stop();
      if (!deps.drainer) drainer.stop();
      for (const cancel of typingTimers.values()) cancel();
    },
    /** The network is back or the machine woke up. */
    nudge(): void {
      socket?.nudge();
      void drainer.nudge();
    },
    /** Queues a message (durably) and sends it when it can; returns its id. */
    async send(conversationId: string, input: { kind: 'text' | 'note'; body: string; quickReplyId?: string }): Promise<string> {
      const checked = MessageBody.safeParse(input.body);
      if (!checked.success) {
        const code = input.body.trim() === '' ? 'empty' : input.body.length > 4000 ? 'too-long' : 'invalid';
        throw new ChatSendError(code, checked.error.issues[0]?.message ?? 'invalid message');
      }
      const id = deps.newId();
      await repo.enqueue({ id, conversationId, kind: input.kind, body: input.body, createdAt: deps.now(), status: 'pending', ...(input.quickReplyId ? { quickReplyId: input.quickReplyId } : {}) });
      delegate.onChanged();
      void drainer.drain(messagesLane.name);
      return id;
    },
    async retry(id: string): Promise<void> {
      await repo.retry(id);
      void drainer.drain(messagesLane.name);
    },
    discard: (id: string) => repo.discard(id),
    async open(conversationId: string): Promise<void> {
      if (!online) return;
      await repo.putDetail(ConversationDetail.parse(await http.getJson(chatPath(chatRoutes.conversation, { id: conversationId }))));
    },
    async accept(conversationId: string): Promise<void> {
      await repo.putConversations([Conversation.parse(await post(chatRoutes.accept, conversationId))]);
      delegate.onOfferGone(conversationId);
      delegate.onChanged();
    },
    /** A team lead takes a teammate's live chat over (coaching); the agent's app hears it as an assignment. */
    async takeover(conversationId: string): Promise<void> {
      await repo.putConversations([Conversation.parse(await post(chatRoutes.takeover, conversationId))]);
      delegate.onChanged();
    },
    async decline(conversationId: string): Promise<void> {
      await repo.putConversations([Conversation.parse(await post(chatRoutes.decline, conversationId))]);
      delegate.onOfferGone(conversationId);
      delegate.onChanged();
    },
    async close(conversationId: string): Promise<void> {
      await repo.putConversations([Conversation.parse(await post(chatRoutes.close, conversationId))]);
      delegate.onChanged();
    },
    /** Read receipt up to `seq`; best effort (a lost one is sent again the next time the view opens). */
    markRead(conversationId: string, seq: number): void {
      if (!online) return;
      post(chatRoutes.read, conversationId, { upToSeq: seq }).catch((err: unknown) => log(`[chat ${conversationId}] read receipt not sent: ${String(err)}`));
    },
    /**
     * Typing indicator: "typing" at most every 3 s while keys are pressed, "stopped" 4 s after the last one
     * (or at once when the message is sent).
     */
    typing(conversationId: string, typing: boolean): void {
      if (!online) return;
      const wasTyping = typingTimers.has(conversationId);
      typingTimers.get(conversationId)?.();
      typingTimers.delete(conversationId);
      const sendTyping = (value: boolean) =>
        void post(chatRoutes.typing, conversationId, { typing: value }).catch((err: unknown) => log(`[chat ${conversationId}] typing not sent: ${String(err)}`));
      if (!typing) {
        if (wasTyping) sendTyping(false);
        return;
      }
      if (!wasTyping) sendTyping(true);
      typingTimers.set(
        conversationId,
        deps.setTimeout(() => {
          typingTimers.delete(conversationId);
          sendTyping(false);
        }, 4_000),
      );
    },
    async setPresence(choice: PresenceChoice): Promise<void> {
      if (!online) return;
      try {
        PresenceState.parse(await http.postJson(chatRoutes.presence, { presence: choice.presence, reasonId: choice.reasonId }));
      } catch (err) {
        log(`[chat] presence not sent: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    refreshReplies,
    /** Sends the quick-reply changes made here (called after the agent saves or deletes one). */
    sendReplyChanges: drainReplies,
    /** Sends the calls the phone logged (called when one is logged). */
    sendCallReports: drainCalls,
  };
}
export type ChatService = ReturnType<typeof createChatService>;
