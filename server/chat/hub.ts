import { ChatSocketClientMessage, type ChatSocketServerMessage } from '../../core/wire/chat';
import type { CustomerEvent, WidgetSocketServerMessage } from '../../core/wire/chatWidget';
import { realtimeCloseCodes, realtimeCloseReasons } from '../../core/wire/realtime';
import type { Actor } from '../../core/tickets/scope';
import type { Db } from '../db/db';
import type { Binding, Client, RealtimeHub, SocketKind } from '../realtime/hub';
import { parseJson } from '../realtime/parseJson';
import { timeFanout } from '../health/metrics';
import { type EventRow, eventsAfter, latestCursor, toEvent } from './store';

/**
 * The realtime side of chat: agent sockets (/chat/socket) and customer sockets (/widget/socket), two
 * socket kinds on the server's realtime hub (server/realtime/hub.ts: auth, session binding, heartbeat,
 * backpressure).
 *
 * Delivery never trusts the order in which writers call `flush`: a flush reads the log after the last
 * cursor it dispatched, in cursor order, and cursors commit in order (0004-chat.sql). Flushes run one at a
 * time. A subscription's replay does NOT run in that chain: it reads the log in pages on its own, waits
 * for its socket to drain between pages, and joins live delivery only once it has caught up with what
 * the flushes dispatched, so one socket replaying a long log (or not reading at all) never holds up
 * anyone else's live events. Each socket remembers the highest cursor it was given and never gets one at
 * or below it again: no gap between replay and live, no duplicate.
 */
export type ChatHub = {
  /** The agent socket: `{type:'auth', token}`, then `{type:'subscribe', cursor}` (core/wire/chat.ts). */
  readonly agentKind: SocketKind<Entry>;
  /** The customer socket; `bind` turns its first message into a binding and the cursor to replay from. */
  customerKind(opts: { authDeadlineMs: number; bind(text: string): Promise<{ binding: Extract<Binding, { kind: 'customer' }>; cursor: number } | null> }): SocketKind<Entry>;
  /** Call after a transaction that appended events has committed. */
  flush(): Promise<void>;
  typing(to: TypingTarget, event: TypingEvent): void;
  /** Tells the apps that see a changed quick reply (its team's, or its owner's) to fetch the library again. */
  repliesChanged(to: { teamId: string | null; ownerId: string | null }): void;
  readonly size: number;
};

export type TypingTarget = { conversationId: string; teamId: string; userIds: string[] };
type TypingEvent = { who: 'customer' | 'agent'; userId: string | null; typing: boolean; agentName: string | null };

/** Per socket: the highest cursor sent, whether live flushes reach it, and which replay is current. */
type Entry = { sentUpTo: number; live: boolean; replay: number };

/** Rows per read of the live flush. */
const page = 500;
/**
 * Rows per read of a replay: small, so a replay's reads interleave finely with everyone's writes and
 * flushes on the one database connection instead of holding it for long stretches.
 */
const replayPage = 100;

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

export type ChatHubOptions = {
  authDeadlineMs: number;
  bindAgent(token: string): Promise<Extract<Binding, { kind: 'agent' }> | null>;
  log?: (line: string) => void;
  /** Every event as the live flush dispatches it, on every instance (the wallboard listens for queue changes). */
  onDispatched?: (rows: readonly EventRow[]) => void;
};

export function createChatHub(db: Db, realtime: RealtimeHub, opts: ChatHubOptions): ChatHub {
  let dispatched: number | null = null;
  let starting: Promise<number> | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch((err: unknown) => opts.log?.(`chat hub: ${(err as Error).message}`));
    return run;
  };
  const start = (): Promise<number> =>
    dispatched !== null ? Promise.resolve(dispatched) : (starting ??= latestCursor(db).then((c) => (dispatched ??= c)));

  const send = (client: Client<Entry>, msg: ChatSocketServerMessage | WidgetSocketServerMessage) => client.send(msg);

  /**
   * The sockets live flushes reach, kept as they go live rather than found by filtering every socket on
   * every flush: a flush runs after each chat write, and with hundreds of customer sockets open the
   * scan cost more than the delivery (bench/inbox.mjs). A closed socket is dropped at the next flush.
   */
  const liveClients = new Set<Client<Entry>>();
  const setLive = (client: Client<Entry>, live: boolean) => {
    client.state.live = live;
    if (live) liveClients.add(client);
    else liveClients.delete(client);
  };

  const deliver = (client: Client<Entry>, row: EventRow) => {
    const entry = client.state;
    const cursor = Number(row.cursor);
    if (cursor <= entry.sentUpTo) return;
    entry.sentUpTo = cursor;
    const b = client.binding;
    if (b.kind === 'agent') {
      if (agentMaySee(b.actor, row)) send(client, { type: 'event', event: toEvent(row) });
    } else if (row.conversation_id === b.conversationId) {
      const event = customerEventOf(row);
      if (event) send(client, { type: 'event', event });
    }
  };

  /**
   * Sends everything after the socket's cursor (a customer's: its conversation's), page by page, then
   * marks it live. Resolves with the cursor reached, or null when the socket closed or resubscribed.
   */
  const replay = async (client: Client<Entry>): Promise<number | null> => {
    const entry = client.state;
    const mine = (entry.replay += 1);
    setLive(client, false);
    const conversationId = client.binding.kind === 'customer' ? client.binding.conversationId : undefined;
    const last = await start();
    // A cursor from another database (a restored backup) would hide every event below it: start over from now.
    if (entry.sentUpTo > last) entry.sentUpTo = Math.max(last, await latestCursor(db));
    for (;;) {
      // Every event at or below what the flushes have dispatched is committed, so a read that starts
      // after this line sees all of them.
      const seen = dispatched ?? last;
      const rows = await eventsAfter(db, entry.sentUpTo, replayPage, conversationId);
      if (entry.replay !== mine || !client.open) return null;
      for (const row of rows) {
        deliver(client, row);
        // Paced by the socket: a client that reads slowly slows only its own replay.
        if (client.backlogged && (!(await client.drained()) || entry.replay !== mine)) return null;
      }
      if (rows.length === replayPage) {
        // Let requests and live deliveries that came in meanwhile run before the next page.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      // Events of other conversations (or none at all) up to `seen` were skipped by the read, not missed.
      entry.sentUpTo = Math.max(entry.sentUpTo, seen);
      // Caught up with the flushes: from here on they deliver to this socket. No await between the check
      // and `live`, so no flush can slip between them; otherwise read what they dispatched meanwhile.
      if (entry.sentUpTo >= (dispatched ?? last)) {
        setLive(client, true);
        return entry.sentUpTo;
      }
    }
  };

  const agentKind: SocketKind<Entry> = {
    name: 'chat',
    authDeadlineMs: opts.authDeadlineMs,
    async authenticate(text) {
      const msg = parseJson(text, ChatSocketClientMessage);
      if (!msg || msg.type !== 'auth') return null;
      const binding = await opts.bindAgent(msg.token);
      return binding ? { binding, state: { sentUpTo: 0, live: false, replay: 0 } } : null;
    },
    onBound(client) {
      send(client, { type: 'ready' });
    },
    async onMessage(client, text) {
      const msg = parseJson(text, ChatSocketClientMessage);
      if (!msg || msg.type !== 'subscribe') return client.close(realtimeCloseCodes.badMessage, realtimeCloseReasons.badMessage);
      setLive(client, false);
      client.state.replay += 1;
      client.state.sentUpTo = msg.cursor ?? (await start());
      const reached = await replay(client);
      if (reached !== null) send(client, { type: 'subscribed', cursor: reached });
    },
  };

  const customerKinds: SocketKind<Entry>[] = [];
  const all = () => [...realtime.clients(agentKind), ...customerKinds.flatMap((k) => realtime.clients(k))];

  /**
   * A flush queued behind the running one and not yet started: later callers join it instead of queuing
   * one each. It reads the log when it starts, after their commits, so it delivers their events too; with
   * hundreds of writers a second, one read per burst replaces one read per message (bench/scale.mjs).
   */
  let queued: Promise<void> | null = null;
  const flushHere = (): Promise<void> =>
    (queued ??= serial(async () => {
      queued = null;
      const done = timeFanout('chat');
      let last = await start();
      for (;;) {
        const rows = await eventsAfter(db, last, page);
        for (const client of liveClients) if (!client.open) liveClients.delete(client);
        for (const row of rows) {
          for (const client of liveClients) deliver(client, row);
          last = Number(row.cursor);
        }
        dispatched = last;
        if (rows.length) opts.onDispatched?.(rows);
        if (rows.length < page) break;
      }
      done();
    }));
  const flush = realtime.topic<Record<string, never>, Promise<void>>('chat.appended', flushHere);
  // A broker that was away may have dropped another instance's `chat.appended`: read the log now.
  realtime.onResume(() => void flushHere().catch((err: unknown) => opts.log?.(`chat hub: flush after the broker came back: ${String(err)}`)));

  const typing = realtime.topic<{ to: TypingTarget; event: TypingEvent }, void>('chat.typing', ({ to, event }) => {
    const row = { team_id: to.teamId, user_ids: to.userIds, team_wide: false };
    for (const client of liveClients) {
      const b = client.binding;
      if (b.kind === 'agent') {
        if (event.who === 'agent' && b.actor.userId === event.userId) continue;
        if (!agentMaySee(b.actor, row)) continue;
        send(client, { type: 'event', event: { type: 'typing', cursor: null, conversationId: to.conversationId, who: event.who, userId: event.userId, typing: event.typing } });
      } else if (event.who === 'agent' && b.conversationId === to.conversationId) {
        send(client, { type: 'event', event: { type: 'typing', cursor: null, typing: event.typing, agentName: event.agentName } });
      }
    }
  });

  const repliesChanged = realtime.topic<{ teamId: string | null; ownerId: string | null }, void>('chat.replies-changed', (to) => {
    for (const client of liveClients) {
      const b = client.binding;
      if (b.kind !== 'agent') continue;
      const { actor } = b;
      const sees = to.ownerId !== null ? actor.userId === to.ownerId : to.teamId === null || actor.role === 'admin' || actor.teamIds.includes(to.teamId);
      if (sees) send(client, { type: 'replies-changed' });
    }
  });

  return {
    agentKind,
    customerKind({ authDeadlineMs, bind }) {
      const kind: SocketKind<Entry> = {
        name: 'widget',
        authDeadlineMs,
        async authenticate(text) {
          const bound = await bind(text);
          return bound ? { binding: bound.binding, state: { sentUpTo: bound.cursor, live: false, replay: 0 } } : null;
        },
        async onBound(client) {
          // Ready first, so the cursor it carries is not behind events the replay is about to send.
          send(client, { type: 'ready', cursor: client.state.sentUpTo });
          await replay(client);
        },
      };
      customerKinds.push(kind);
      return kind;
    },
    flush: () => flush({}),
    typing: (to, event) => typing({ to, event }),
    repliesChanged,
    get size() {
      return all().length;
    },
  };
}
