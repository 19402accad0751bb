import { createBackoff } from '../../../core/backoff';
import { BoardSocketServerMessage, type BoardSnapshot, boardRoutes } from '../../../core/wire/board';
import type { SocketLike } from '../chat/chatSocket';

/** What a watcher of one team's wallboard sees. */
export type BoardFeed = {
  teamId: string;
  snapshot: BoardSnapshot | null;
  /** Pushed updates are arriving (false while reconnecting: the figures on screen may be old). */
  live: boolean;
  /** The server refused this team (not the caller's, or an agent): nothing of it is shown. */
  refused: string | null;
  /** Server clock minus this machine's clock at the last message, so "waiting for" ticks on the server's time. */
  skewMs: number;
};

export type BoardFeedDeps = {
  open(path: string): SocketLike;
  /** Before each connection: a fresh access token (the API renews an expired one on the way). */
  token(): Promise<string>;
  setTimeout(fn: () => void, ms: number): () => void;
  now(): number;
  log(line: string): void;
};

/**
 * The wallboard's realtime feed (GET /board/socket, core/wire/board.ts): auth as the first message, watch
 * the team, take the snapshot, then apply the pushed updates (each replaces only the parts it carries).
 * A lost socket reconnects with full-jitter backoff and starts again from a fresh snapshot, so nothing
 * missed while away stays missed.
 */
export function createBoardFeeds(deps: BoardFeedDeps) {
  return {
    watch(teamId: string, onChange: (feed: BoardFeed) => void): () => void {
      const backoff = createBackoff({ baseMs: 500, maxMs: 10_000 });
      let feed: BoardFeed = { teamId, snapshot: null, live: false, refused: null, skewMs: 0 };
      let socket: SocketLike | null = null;
      let stopped = false;
      let cancelRetry: (() => void) | null = null;
      const publish = (patch: Partial<BoardFeed>) => {
        feed = { ...feed, ...patch };
        if (!stopped) onChange(feed);
      };
      const retry = () => {
        if (stopped || cancelRetry || feed.refused) return;
        cancelRetry = deps.setTimeout(() => {
          cancelRetry = null;
          void connect();
        }, backoff.next());
      };
      const connect = async () => {
        let token: string;
        try {
          token = await deps.token();
        } catch (err) {
          deps.log(`[board] cannot connect: ${err instanceof Error ? err.message : String(err)}`);
          return retry();
        }
        if (stopped || socket) return;
        const ws = deps.open(boardRoutes.socket);
        socket = ws;
        ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
        ws.onmessage = (ev) => {
          let msg: BoardSocketServerMessage;
          try {
            const parsed = BoardSocketServerMessage.safeParse(JSON.parse(String(ev.data)));
            if (!parsed.success) return deps.log('[board] dropped a socket message that does not match the wire contract');
            msg = parsed.data;
          } catch {
            return deps.log('[board] dropped a socket message that is not JSON');
          }
          if (msg.type === 'ready') ws.send(JSON.stringify({ type: 'watch', teamId }));
          else if (msg.type === 'refused') publish({ refused: msg.message, snapshot: null, live: false });
          else if (msg.type === 'snapshot') {
            backoff.reset();
            publish({ snapshot: msg.snapshot, live: true, refused: null, skewMs: msg.snapshot.at - deps.now() });
          } else if (feed.snapshot && msg.teamId === teamId) {
            const s = feed.snapshot;
            publish({
              snapshot: { ...s, at: msg.at, queues: msg.queues ?? s.queues, agents: msg.agents ?? s.agents, today: msg.today ?? s.today },
              skewMs: msg.at - deps.now(),
            });
          }
        };
        ws.onerror = () => {};
        ws.onclose = () => {
          if (socket === ws) socket = null;
          if (stopped) return;
          publish({ live: false });
          retry();
        };
      };
      void connect();
      return () => {
        stopped = true;
        cancelRetry?.();
        socket?.close();
        socket = null;
      };
    },
  };
}
export type BoardFeeds = ReturnType<typeof createBoardFeeds>;
