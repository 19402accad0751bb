import { createBackoff } from '../../../core/backoff';
import { type TeamLive, TeamLiveSocketServerMessage, teamLiveSocketPath } from '../../../core/coaching/wire';
import type { SocketLike } from '../chat/chatSocket';

export type TeamLiveFeedDeps = {
  open(path: string): SocketLike;
  /** Before each connection: a fresh access token (the API renews an expired one on the way). */
  token(): Promise<string>;
  setTimeout(fn: () => void, ms: number): () => void;
  log(line: string): void;
};

/** What the Team page's live view hears: each whole view as pushed, the socket being away, a refusal. */
export type TeamLiveListener = { onLive(live: TeamLive): void; onAway(): void; onRefused(message: string): void };

/**
 * The Team page's live feed (GET /coaching/socket, core/coaching/wire.ts): auth as the first message, watch
 * the team, then take every view the server pushes (each is whole, so nothing is merged). A lost socket
 * reconnects with full-jitter backoff and watches again, which sends the current view at once.
 */
export function createTeamLiveFeeds(deps: TeamLiveFeedDeps) {
  return {
    watch(teamId: string, listener: TeamLiveListener): () => void {
      const backoff = createBackoff({ baseMs: 500, maxMs: 10_000 });
      let socket: SocketLike | null = null;
      let stopped = false;
      let refused = false;
      let cancelRetry: (() => void) | null = null;
      const retry = () => {
        if (stopped || cancelRetry || refused) return;
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
          deps.log(`[team-live] cannot connect: ${err instanceof Error ? err.message : String(err)}`);
          return retry();
        }
        if (stopped || socket) return;
        const ws = deps.open(teamLiveSocketPath);
        socket = ws;
        ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
        ws.onmessage = (ev) => {
          let msg: TeamLiveSocketServerMessage;
          try {
            const parsed = TeamLiveSocketServerMessage.safeParse(JSON.parse(String(ev.data)));
            if (!parsed.success) return deps.log('[team-live] dropped a socket message that does not match the wire contract');
            msg = parsed.data;
          } catch {
            return deps.log('[team-live] dropped a socket message that is not JSON');
          }
          if (stopped) return;
          if (msg.type === 'ready') ws.send(JSON.stringify({ type: 'watch', teamId }));
          else if (msg.type === 'refused') {
            refused = true;
            listener.onRefused(msg.message);
          } else if (msg.live.team.id === teamId) {
            backoff.reset();
            listener.onLive(msg.live);
          }
        };
        ws.onerror = () => {};
        ws.onclose = () => {
          if (socket === ws) socket = null;
          if (stopped || refused) return;
          listener.onAway();
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
export type TeamLiveFeeds = ReturnType<typeof createTeamLiveFeeds>;
