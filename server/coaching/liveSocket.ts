import { type TeamLive, TeamLiveSocketClientMessage, type TeamLiveSocketServerMessage } from '../../core/coaching/wire';
import { realtimeCloseCodes, realtimeCloseReasons } from '../../core/wire/realtime';
import { mayWatch } from '../board/hub';
import type { Binding, Client, RealtimeHub, SocketKind } from '../realtime/hub';
import { parseJson } from '../realtime/parseJson';

/**
 * The Team page's live view, pushed over the server's one realtime hub (GET /coaching/socket) instead of
 * polled every 2 s: a lead sees a raised hand, a call starting or a chat taken as it happens.
 *
 *   socket: auth ─► ready ─► {watch, teamId} ─► scope check ─► live (the whole view) ─► live again per change
 *                                                    └─ agent, or a lead of another team: refused, nothing sent
 *   changed(T) ─► one read of T after `settleMs` (a burst of changes is one read; at most one per
 *   `coalesceMs`) ─► `live` to every watcher of T whose last view differs
 *
 * Changes come from where they happen: an app's live report, a hand, a coach joining or leaving (bus topic
 * `team-live.changed`, so every instance's watchers hear them), and chat events (every instance dispatches
 * those itself, so they are not re-published). A periodic re-read turns an app that stopped reporting
 * offline on screen.
 */
export type TeamLiveHub = {
  readonly kind: SocketKind<Watch>;
  /** These teams' live view changed on this instance: tells every instance. */
  changed(teamIds: readonly string[]): void;
  /** A change every instance learns by itself (chat events): no bus message. */
  changedHere(teamIds: readonly string[]): void;
  close(): void;
};

type Watch = { teamId: string | null; sent: string | null };
type TeamRun = { timer: NodeJS.Timeout | null; running: boolean; dirty: boolean; lastRunAt: number };

export type TeamLiveHubOptions = {
  authDeadlineMs: number;
  bindAgent(token: string): Promise<Extract<Binding, { kind: 'agent' }> | null>;
  /** The team's live view now, or null for no such team. */
  read(teamId: string): Promise<TeamLive | null>;
  coalesceMs?: number;
  settleMs?: number;
  /** Every watched team is re-read this often; 0: never. */
  refreshMs?: number;
  log: (line: string) => void;
};

export function createTeamLiveHub(realtime: RealtimeHub, opts: TeamLiveHubOptions): TeamLiveHub {
  const coalesceMs = opts.coalesceMs ?? 200;
  const settleMs = opts.settleMs ?? 20;
  const teams = new Map<string, TeamRun>();
  let closed = false;
  const send = (client: Client<Watch>, msg: TeamLiveSocketServerMessage) => client.send(msg);
  const watchers = (teamId: string) => realtime.clients(kind).filter((c) => c.state.teamId === teamId);
  // `at` moves on every read; a view is "changed" when anything but it differs.
  const textOf = (live: TeamLive) => JSON.stringify({ ...live, at: 0 });

  const run = async (teamId: string, t: TeamRun) => {
    t.timer = null;
    t.running = true;
    t.dirty = false;
    t.lastRunAt = Date.now();
    try {
      if (watchers(teamId).length === 0) return;
      const live = await opts.read(teamId);
      if (!live) return;
      const text = textOf(live);
      for (const client of watchers(teamId)) {
        if (client.state.sent === text) continue;
        client.state.sent = text;
        send(client, { type: 'live', live });
      }
    } catch (err) {
      opts.log(`team live: team ${teamId}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      t.running = false;
      if (t.dirty && !closed) schedule(teamId, t);
    }
  };

  const schedule = (teamId: string, t: TeamRun) => {
    if (t.timer || t.running) return;
    t.timer = setTimeout(() => void run(teamId, t), Math.max(settleMs, t.lastRunAt + coalesceMs - Date.now()));
    t.timer.unref();
  };

  const changedHere = (teamIds: readonly string[]) => {
    if (closed) return;
    for (const teamId of new Set(teamIds)) {
      let t = teams.get(teamId);
      if (!t) teams.set(teamId, (t = { timer: null, running: false, dirty: false, lastRunAt: 0 }));
      t.dirty = true;
      if (watchers(teamId).length > 0) schedule(teamId, t);
    }
  };

  const changed = realtime.topic<{ teamIds: string[] }, void>('team-live.changed', ({ teamIds }) => changedHere(teamIds));

  const kind: SocketKind<Watch> = {
    name: 'team-live',
    authDeadlineMs: opts.authDeadlineMs,
    async authenticate(text) {
      const msg = parseJson(text, TeamLiveSocketClientMessage);
      if (!msg || msg.type !== 'auth') return null;
      const binding = await opts.bindAgent(msg.token);
      return binding ? { binding, state: { teamId: null, sent: null } } : null;
    },
    onBound(client) {
      send(client, { type: 'ready' });
    },
    async onMessage(client, text) {
      const msg = parseJson(text, TeamLiveSocketClientMessage);
      const b = client.binding;
      if (!msg || msg.type !== 'watch' || b.kind !== 'agent') return client.close(realtimeCloseCodes.badMessage, realtimeCloseReasons.badMessage);
      if (!mayWatch(b.actor, msg.teamId)) {
        client.state.teamId = null;
        send(client, { type: 'refused', teamId: msg.teamId, message: b.actor.role === 'agent' ? 'Only team leads and admins can see a team live.' : 'You can only see teams you lead.' });
        return;
      }
      client.state.teamId = msg.teamId;
      client.state.sent = null;
      const live = await opts.read(msg.teamId);
      // Re-watched another team while this was read: that watch sends its own view.
      if (client.state.teamId !== msg.teamId) return;
      if (!live) {
        client.state.teamId = null;
        send(client, { type: 'refused', teamId: msg.teamId, message: 'No such team.' });
        return;
      }
      client.state.sent = textOf(live);
      send(client, { type: 'live', live });
    },
  };

  const refreshMs = opts.refreshMs ?? 15_000;
  const refresh =
    refreshMs > 0
      ? setInterval(() => changedHere([...new Set(realtime.clients(kind).flatMap((c) => (c.state.teamId ? [c.state.teamId] : [])))]), refreshMs)
      : null;
  refresh?.unref();

  return {
    kind,
    changed: (teamIds) => changed({ teamIds: [...teamIds] }),
    changedHere,
    close() {
      closed = true;
      if (refresh) clearInterval(refresh);
      for (const t of teams.values()) if (t.timer) clearTimeout(t.timer);
      teams.clear();
    },
  };
}
