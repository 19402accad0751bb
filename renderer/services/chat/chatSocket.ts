import { createBackoff } from '../../../core/backoff';
import { ChatSocketServerMessage, chatCloseCodes, chatRoutes, type ChatEvent } from '../../../core/wire/chat';

/** The part of the browser WebSocket the chat socket uses, so tests can hand in a fake. */
export type SocketLike = {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
};

export type ChatSocketDeps = {
  open(path: string): SocketLike;
  /** Called before each connection: refreshes whatever the socket needs (token, conversation list). */
  prepare(): Promise<{ token: string; cursor: number | null }>;
  /** Durable events in cursor order and ephemeral ones as they come, in batches; awaited before the next batch. */
  onEvents(events: ChatEvent[]): Promise<void>;
  onConnected(connected: boolean): void;
  /** The server says the quick-reply library changed (a lead edited the team's replies). */
  onRepliesChanged?(): void;
  setTimeout(fn: () => void, ms: number): () => void;
  log(line: string): void;
};

/**
 * The agent's realtime chat connection (GET /chat/socket): auth as the first message (browsers cannot set
 * headers on a WebSocket), subscribe from the stored cursor, apply the replay and live events in order,
 * and reconnect with full-jitter backoff. Events arriving while a batch is being applied wait and are
 * applied together next, in arrival order, so the cursor only ever moves forward over applied events.
 */
export function createChatSocket(deps: ChatSocketDeps) {
  const backoff = createBackoff({ baseMs: 500, maxMs: 15_000 });
  let socket: SocketLike | null = null;
  let stopped = false;
  let cancelRetry: (() => void) | null = null;
  // Events that arrived while a batch was being applied. They go in as one batch (one cache transaction,
  // one re-read of the inbox list) instead of one each: with hundreds of customers typing at once, a
  // transaction per event kept the main thread so busy that new messages showed seconds late.
  let waiting: ChatEvent[] = [];
  let applying = false;

  function enqueue(event: ChatEvent) {
    waiting.push(event);
    if (applying) return;
    applying = true;
    void (async () => {
      while (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        try {
          await deps.onEvents(batch);
        } catch (err) {
          deps.log(`[chat] applying an event failed: ${err instanceof Error ? err.message : String(err)}`);
          // The cursor did not move past the failed batch: reconnecting replays from the last applied event.
          waiting = [];
          socket?.close();
        }
      }
      applying = false;
    })();
  }

  function scheduleReconnect() {
    if (stopped || cancelRetry) return;
    const delay = backoff.next();
    cancelRetry = deps.setTimeout(() => {
      cancelRetry = null;
      void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    if (stopped || socket) return;
    let prepared: { token: string; cursor: number | null };
    try {
      prepared = await deps.prepare();
    } catch (err) {
      deps.log(`[chat] cannot connect: ${err instanceof Error ? err.message : String(err)}`);
      scheduleReconnect();
      return;
    }
    if (stopped || socket) return;
    const ws = deps.open(chatRoutes.socket);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: prepared.token }));
    ws.onmessage = (ev) => {
      let parsed: ChatSocketServerMessage;
      try {
        const result = ChatSocketServerMessage.safeParse(JSON.parse(String(ev.data)));
        if (!result.success) {
          deps.log('[chat] dropped a socket message that does not match the wire contract');
          return;
        }
        parsed = result.data;
      } catch {
        deps.log('[chat] dropped a socket message that is not JSON');
        return;
      }
      if (parsed.type === 'ready') {
        ws.send(JSON.stringify({ type: 'subscribe', cursor: prepared.cursor }));
      } else if (parsed.type === 'subscribed') {
        backoff.reset();
        deps.onConnected(true);
      } else if (parsed.type === 'replies-changed') {
        deps.onRepliesChanged?.();
      } else {
        enqueue(parsed.event);
      }
    };
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      if (socket === ws) {
        socket = null;
        // Not applied yet, so the cursor is still before them: the next connection replays them.
        waiting = [];
      }
      deps.onConnected(false);
      if (ev.code === chatCloseCodes.unauthorized) deps.log('[chat] socket refused the token; refreshing before the next try');
      scheduleReconnect();
    };
  }

  return {
    start(): void {
      stopped = false;
      void connect();
    },
    /** The network came back or the machine woke: try now instead of waiting out the backoff. */
    nudge(): void {
      if (stopped || socket) return;
      cancelRetry?.();
      cancelRetry = null;
      backoff.reset();
      void connect();
    },
    stop(): void {
      stopped = true;
      cancelRetry?.();
      cancelRetry = null;
      socket?.close();
      socket = null;
    },
    connected: () => socket !== null,
  };
}
export type ChatSocket = ReturnType<typeof createChatSocket>;
