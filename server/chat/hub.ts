import type { WebSocket } from 'ws';
import type { ChatSocketServerMessage } from '../../core/wire/chat';
import type { CustomerEvent, WidgetSocketServerMessage } from '../../core/wire/chatWidget';
import type { Actor } from '../../core/tickets/scope';
import type { Db } from '../db/db';
import { type EventRow, eventsAfter, latestCursor, toEvent } from './store';

/**
 * The realtime side of chat: agent sockets (/chat/socket) and customer sockets (/widget/socket).
 *
 * Delivery never trusts the order in which writers call `flush`: a flush reads the log after the last
 * cursor it dispatched, in cursor order, and cursors commit in order (0004-chat.sql). Flushes and
 * subscriptions run one at a time, so a socket that subscribes while events arrive gets its replay and
 * then exactly the events after it: each socket remembers the highest cursor it was given and never gets
 * one at or below it again.
 */
export type ChatHub = {
  addAgent(socket: WebSocket, actor: Actor): void;
  /** Replays the agent's events after `cursor` (null: from now), then streams; resolves with the cursor reached. */
  subscribeAgent(socket: WebSocket, cursor: number | null): Promise<number>;
  addCustomer(socket: WebSocket, conversationId: string, cursor: number | null): Promise<number>;
  /** Call after a transaction that appended events has committed. */
  flush(): Promise<void>;
  typing(to: TypingTarget, event: { who: 'customer' | 'agent'; userId: string | null; typing: boolean; agentName: string | null }): void;
  /** Tells the apps that see a changed quick reply (its team's, or its owner's) to fetch the library again. */
  repliesChanged(to: { teamId: string | null; ownerId: string | null }): void;
  readonly size: number;
  close(): void;
};

export type TypingTarget = { conversationId: string; teamId: string; userIds: string[] };

type Entry =
  | { kind: 'agent'; actor: Actor; sentUpTo: number; live: boolean; alive: boolean }
  | { kind: 'customer'; conversationId: string; sentUpTo: number; live: boolean; alive: boolean };

const page = 500;

export function agentMaySee(actor: Actor, row: Pick<EventRow, 'team_id' | 'user_ids' | 'team_wide'>): boolean {
  if (actor.role === 'admin' || row.user_ids.includes(actor.userId)) return true;
  return actor.teamIds.includes(row.team_id) && (row.team_wide || actor.role === 'lead');
}

/** The customer's view of a logged event, or null when it is not theirs to see. */
export function customerEventOf(row: EventRow): CustomerEvent | null {
  if (!row.customer_visible) return null;
  const event = toEvent(row);
  switch (event.type) {
    case 'message':
      return { type: 'message', cursor: event.cursor, message: event.message };
    case 'read':
      return event.by === 'agent' ? { type: 'read', cursor: event.cursor, upToSeq: event.upToSeq } : null;
    case 'assignment':
    case 'conversation':
      return {
        type: 'state',
        cursor: event.cursor,
        state: event.conversation.state,
        agentName: event.conversation.assigneeName,
        surveyRequested: event.conversation.state === 'closed',
      };
    case 'offer':
      return null;
  }
}

export function createChatHub(db: Db, opts: { heartbeatMs: number; log?: (line: string) => void }): ChatHub {
  const sockets = new Map<WebSocket, Entry>();
  let dispatched: number | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch((err: unknown) => opts.log?.(`chat hub: ${(err as Error).message}`));
    return run;
  };
  const start = async (): Promise<number> => (dispatched ??= await latestCursor(db));

  const send = (socket: WebSocket, msg: ChatSocketServerMessage | WidgetSocketServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
  };

  const deliver = (socket: WebSocket, entry: Entry, row: EventRow) => {
    const cursor = Number(row.cursor);
    if (cursor <= entry.sentUpTo) return;
    entry.sentUpTo = cursor;
    if (entry.kind === 'agent') {
      if (agentMaySee(entry.actor, row)) send(socket, { type: 'event', event: toEvent(row) });
    } else if (row.conversation_id === entry.conversationId) {
      const event = customerEventOf(row);
      if (event) send(socket, { type: 'event', event });
    }
  };

  const timer = setInterval(() => {
    for (const [socket, entry] of sockets) {
      if (!entry.alive) {
        socket.terminate();
        sockets.delete(socket);
        continue;
      }
      entry.alive = false;
      socket.ping();
    }
  }, opts.heartbeatMs);
  timer.unref();

  const track = (socket: WebSocket, entry: Entry) => {
    sockets.set(socket, entry);
    socket.on('pong', () => {
      entry.alive = true;
    });
    socket.on('close', () => sockets.delete(socket));
  };

  /** Sends everything after the entry's cursor (optionally one conversation's), then marks it live. */
  const replay = async (socket: WebSocket, entry: Entry, conversationId?: string): Promise<number> => {
    const last = await start();
    // A cursor from another database (a restored backup) would hide every event below it: start over from now.
    if (entry.sentUpTo > last) entry.sentUpTo = Math.max(last, await latestCursor(db));
    for (;;) {
      const rows = await eventsAfter(db, entry.sentUpTo, page, conversationId);
      for (const row of rows) deliver(socket, entry, row);
      if (rows.length < page) break;
    }
    // Events of other conversations were skipped by the filtered query, not delivered: nothing at or below
    // `dispatched` can still come, so the socket is current up to it as well.
    entry.sentUpTo = Math.max(entry.sentUpTo, conversationId ? last : entry.sentUpTo);
    entry.live = true;
    return entry.sentUpTo;
  };

  return {
    addAgent(socket, actor) {
      track(socket, { kind: 'agent', actor, sentUpTo: 0, live: false, alive: true });
    },
    subscribeAgent(socket, cursor) {
      return serial(async () => {
        const entry = sockets.get(socket);
        if (!entry || entry.kind !== 'agent') return 0;
        entry.live = false;
        entry.sentUpTo = cursor ?? (await start());
        const reached = await replay(socket, entry);
        send(socket, { type: 'subscribed', cursor: reached });
        return reached;
      });
    },
    addCustomer(socket, conversationId, cursor) {
      return serial(async () => {
        const entry: Entry = { kind: 'customer', conversationId, sentUpTo: cursor ?? 0, live: false, alive: true };
        track(socket, entry);
        const reached = await replay(socket, entry, conversationId);
        return reached;
      });
    },
    flush() {
      return serial(async () => {
        let last = await start();
        for (;;) {
          const rows = await eventsAfter(db, last, page);
          for (const row of rows) {
            for (const [socket, entry] of sockets) if (entry.live) deliver(socket, entry, row);
            last = Number(row.cursor);
          }
          dispatched = last;
          if (rows.length < page) break;
        }
      });
    },
    typing(to, event) {
      const row = { team_id: to.teamId, user_ids: to.userIds, team_wide: false };
      for (const [socket, entry] of sockets) {
        if (!entry.live) continue;
        if (entry.kind === 'agent') {
          if (event.who === 'agent' && entry.actor.userId === event.userId) continue;
          if (!agentMaySee(entry.actor, row)) continue;
          send(socket, { type: 'event', event: { type: 'typing', cursor: null, conversationId: to.conversationId, who: event.who, userId: event.userId, typing: event.typing } });
        } else if (event.who === 'agent' && entry.conversationId === to.conversationId) {
          send(socket, { type: 'event', event: { type: 'typing', cursor: null, typing: event.typing, agentName: event.agentName } });
        }
      }
    },
    repliesChanged(to) {
      for (const [socket, entry] of sockets) {
        if (!entry.live || entry.kind !== 'agent') continue;
        const { actor } = entry;
        const sees = to.ownerId !== null ? actor.userId === to.ownerId : to.teamId === null || actor.role === 'admin' || actor.teamIds.includes(to.teamId);
        if (sees) send(socket, { type: 'replies-changed' });
      }
    },
    get size() {
      return sockets.size;
    },
    close() {
      clearInterval(timer);
      for (const socket of sockets.keys()) socket.close(1001, 'server shutting down');
      sockets.clear();
    },
  };
}
