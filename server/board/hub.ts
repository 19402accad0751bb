import { BoardSocketClientMessage, type BoardSnapshot, type BoardSocketServerMessage } from '../../core/wire/board';
import { realtimeCloseCodes, realtimeCloseReasons } from '../../core/wire/realtime';
import type { Actor } from '../../core/tickets/scope';
import type { Db } from '../db/db';
import type { Binding, Client, RealtimeHub, SocketKind } from '../realtime/hub';
import { parseJson } from '../realtime/parseJson';
import { boardSnapshot, type LiveLookup } from './snapshot';

/**
 * The wallboard's realtime side: a socket kind on the server's one hub (/board/socket) and the coalescing
 * between "something changed for team T" and what the watchers of T are sent.
 *
 *   socket: auth ─► ready ─► {watch, teamId} ─► scope check ─► snapshot ─► updates (changed parts only)
 *                                                    └─ agent, or a lead of another team: refused, nothing sent
 *   change(T) ─► dirty(T) ─► at most one read per team per `coalesceMs` (the first change of a quiet
 *   team goes out after `settleMs`) ─► one snapshot of T ─► per watcher: only the sections whose text
 *   differs from what that socket was last sent
 *
 * Changes come from where they happen: chat events as the chat hub dispatches them (new waiting chat,
 * offer, accept, transfer, end: every instance dispatches every event, so those are not re-published),
 * presence changes and live reports (a call started or ended) through the bus topic `board.changed`, so
 * every instance's watchers hear them. A periodic refresh moves the "last 60 minutes" windows and the
 * "app still reporting" flags on. A reconnecting client sends `watch` again and gets a fresh snapshot.
 */
export type BoardHub = {
  readonly kind: SocketKind<Watch>;
  /** Something of these teams changed on this instance: tells every instance (bus topic `board.changed`). */
  changed(teamIds: readonly string[]): void;
  /** Something changed that every instance learns by itself (chat events): no bus message. */
  changedHere(teamIds: readonly string[]): void;
  snapshot(teamId: string): Promise<BoardSnapshot | null>;
  close(): void;
};

/** Per socket: the team it watches and the text of each section last sent to it. */
export type Watch = { teamId: string | null; sent: Partial<Record<Section, string>>; readAt: number };
type Section = 'queues' | 'agents' | 'today';
const sections: readonly Section[] = ['queues', 'agents', 'today'];

export type BoardHubOptions = {
  authDeadlineMs: number;
  bindAgent(token: string): Promise<Extract<Binding, { kind: 'agent' }> | null>;
  now: () => number;
  live: LiveLookup;
  /** At most one snapshot per team per this many ms while changes keep coming. */
  coalesceMs?: number;
  /** A change to a quiet team waits this long for the rest of its burst (an accept writes several rows). */
  settleMs?: number;
  /** Every watched team is re-read this often (time windows move, apps stop reporting); 0: never. */
  refreshMs?: number;
  log: (line: string) => void;
};

/** Who may watch a team's board: its leads and admins; agents never see other agents' states. */
export function mayWatch(actor: Actor, teamId: string): boolean {
  return actor.role === 'admin' || (actor.role === 'lead' && actor.teamIds.includes(teamId));
}

type TeamRun = { timer: NodeJS.Timeout | null; running: boolean; dirty: boolean; lastRunAt: number };

export function createBoardHub(db: Db, realtime: RealtimeHub, opts: BoardHubOptions): BoardHub {
  const coalesceMs = opts.coalesceMs ?? 200;
  const settleMs = opts.settleMs ?? 20;
  const teams = new Map<string, TeamRun>();
  let closed = false;

  const send = (client: Client<Watch>, msg: BoardSocketServerMessage) => client.send(msg);
  const snapshot = (teamId: string) => boardSnapshot(db, teamId, new Date(opts.now()), opts.live);
  const watchers = (teamId: string) => realtime.clients(kind).filter((c) => c.state.teamId === teamId);

  const remember = (client: Client<Watch>, snap: BoardSnapshot) => {
    client.state.sent = { queues: JSON.stringify(snap.queues), agents: JSON.stringify(snap.agents), today: JSON.stringify(snap.today) };
  };

  const run = async (teamId: string, t: TeamRun) => {
    t.timer = null;
    t.running = true;
    t.dirty = false;
    t.lastRunAt = Date.now();
    try {
      if (watchers(teamId).length === 0) return;
      const readAt = performance.now();
      const snap = await snapshot(teamId);
      if (!snap) return;
      const text: Record<Section, string> = { queues: JSON.stringify(snap.queues), agents: JSON.stringify(snap.agents), today: JSON.stringify(snap.today) };
      // A socket whose own snapshot was read after this one holds newer figures: it is left alone.
      for (const client of watchers(teamId)) {
        if (client.state.readAt > readAt) continue;
        const changedParts = sections.filter((s) => client.state.sent[s] !== text[s]);
        if (changedParts.length === 0) continue;
        const update: Extract<BoardSocketServerMessage, { type: 'update' }> = { type: 'update', teamId, at: snap.at };
        for (const s of changedParts) {
          if (s === 'queues') update.queues = snap.queues;
          else if (s === 'agents') update.agents = snap.agents;
          else update.today = snap.today;
          client.state.sent[s] = text[s];
        }
        send(client, update);
      }
    } catch (err) {
      opts.log(`board: team ${teamId}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      t.running = false;
      if (t.dirty && !closed) schedule(teamId, t);
    }
  };

  const schedule = (teamId: string, t: TeamRun) => {
    if (t.timer || t.running) return;
    const wait = Math.max(settleMs, t.lastRunAt + coalesceMs - Date.now());
    t.timer = setTimeout(() => void run(teamId, t), wait);
    t.timer.unref();
  };

  const changedHere = (teamIds: readonly string[]) => {
    if (closed) return;
    for (const teamId of new Set(teamIds)) {
      let t = teams.get(teamId);
      if (!t) teams.set(teamId, (t = { timer: null, running: false, dirty: false, lastRunAt: 0 }));
      t.dirty = true;
      // Nobody watches this team here: nothing to read (the next watch starts from a fresh snapshot).
      if (watchers(teamId).length === 0) continue;
      schedule(teamId, t);
    }
  };

  const changed = realtime.topic<{ teamIds: string[] }, void>('board.changed', ({ teamIds }) => changedHere(teamIds));

  const kind: SocketKind<Watch> = {
    name: 'board',
    authDeadlineMs: opts.authDeadlineMs,
    async authenticate(text) {
      const msg = parseJson(text, BoardSocketClientMessage);
      if (!msg || msg.type !== 'auth') return null;
      const binding = await opts.bindAgent(msg.token);
      return binding ? { binding, state: { teamId: null, sent: {}, readAt: 0 } } : null;
    },
    onBound(client) {
      send(client, { type: 'ready' });
    },
    async onMessage(client, text) {
      const msg = parseJson(text, BoardSocketClientMessage);
      const b = client.binding;
      if (!msg || msg.type !== 'watch' || b.kind !== 'agent') return client.close(realtimeCloseCodes.badMessage, realtimeCloseReasons.badMessage);
      if (!mayWatch(b.actor, msg.teamId)) {
        client.state.teamId = null;
        send(client, { type: 'refused', teamId: msg.teamId, message: b.actor.role === 'agent' ? 'Only team leads and admins see the wallboard.' : 'You can only watch teams you lead.' });
        return;
      }
      client.state.teamId = msg.teamId;
      client.state.sent = {};
      client.state.readAt = performance.now();
      const snap = await snapshot(msg.teamId);
      // Re-watched another team while this was read: that watch sends its own snapshot.
      if (client.state.teamId !== msg.teamId) return;
      if (!snap) {
        client.state.teamId = null;
        send(client, { type: 'refused', teamId: msg.teamId, message: 'No such team.' });
        return;
      }
      remember(client, snap);
      send(client, { type: 'snapshot', snapshot: snap });
    },
  };

  const refresh =
    (opts.refreshMs ?? 10_000) > 0
      ? setInterval(() => {
          const watched = new Set(realtime.clients(kind).flatMap((c) => (c.state.teamId ? [c.state.teamId] : [])));
          changedHere([...watched]);
        }, opts.refreshMs ?? 10_000)
      : null;
  refresh?.unref();

  return {
    kind,
    changed: (teamIds) => changed({ teamIds: [...teamIds] }),
    changedHere,
    snapshot,
    close() {
      closed = true;
      if (refresh) clearInterval(refresh);
      for (const t of teams.values()) if (t.timer) clearTimeout(t.timer);
      teams.clear();
    },
  };
}
