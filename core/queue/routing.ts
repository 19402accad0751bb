import type { Locale } from '../locale';
import type { Presence } from '../presence';

/**
 * Voice queue routing (issue 17), pure: which agent a waiting call is offered to, and which waiting calls
 * are offered in one dispatch round. The server (server/queues/dispatch.ts) runs the same rules in SQL
 * under row locks and its tests compare the two; this file is the reference.
 *
 *   waiting ──offer──▶ offered ──answer──▶ connected ──hang up──▶ ended
 *     ▲  ◀──ring-out / decline──┘ (agent set not-ready)
 *     ├──max wait──▶ callback (keeps its place) ──offer──▶ offered (agent calls the customer back)
 *     └──max wait──▶ voicemail          caller hangs up while waiting ──▶ abandoned
 *
 * One notion of "free" for calls and chats (`workOf`): an agent is free for a call when their presence is
 * `available`, they are on no call (ringing counts) and they are not in wrap-up or on a break; free for a
 * chat when `available`, below their chat limit, and not on a call unless their team allows chats during
 * calls.
 */

export type RoutingStrategy = 'longest-idle' | 'fewest-answered';
export const routingStrategies: readonly RoutingStrategy[] = ['longest-idle', 'fewest-answered'];

export type AgentWork = {
  id: string;
  presence: Presence;
  skills: readonly string[];
  languages: readonly Locale[];
  /** When the agent's last call ended, or they became available (epoch ms): longest idle goes first. */
  idleSince: number;
  /** Calls answered today (the `fewest-answered` strategy). */
  answeredToday: number;
  /** The call ringing at or connected to this agent, if any. */
  callId: string | null;
  activeChats: number;
  maxChats: number;
};

export type QueueNeeds = {
  id: string;
  /** Every one of these skills is needed (lower-case words, e.g. "billing"). */
  skills: readonly string[];
  /** The caller's language, or null for any agent. */
  language: Locale | null;
  strategy: RoutingStrategy;
};

export type WaitingCall = {
  id: string;
  queueId: string;
  /** Place in line (epoch ms the call joined, kept by a callback request). */
  enqueuedAt: number;
  /** Agents who let this call ring out or declined it: tried last, never twice in a row. */
  declinedBy: readonly string[];
};

export function canTakeCall(a: AgentWork): boolean {
  return a.presence === 'available' && a.callId === null;
}

export function canTakeChat(a: AgentWork, chatsDuringCalls: boolean): boolean {
  return a.presence === 'available' && a.activeChats < a.maxChats && (a.callId === null || chatsDuringCalls);
}

export function hasSkills(a: AgentWork, q: QueueNeeds): boolean {
  return q.skills.every((s) => a.skills.includes(s)) && (q.language === null || a.languages.includes(q.language));
}

/** Negative: `a` goes before `b`. Ties break on the id so the order is total and the same on every server. */
export function compareAgents(strategy: RoutingStrategy, a: AgentWork, b: AgentWork): number {
  if (strategy === 'fewest-answered' && a.answeredToday !== b.answeredToday) return a.answeredToday - b.answeredToday;
  if (a.idleSince !== b.idleSince) return a.idleSince - b.idleSince;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The agent a call is offered to: free, skilled, best by the queue's strategy; one who already let this
 * call ring out only when nobody else is free (so a single-agent team still gets the call again).
 */
export function pickAgent(agents: readonly AgentWork[], queue: QueueNeeds, call: Pick<WaitingCall, 'declinedBy'>): AgentWork | null {
  let best: AgentWork | null = null;
  let bestDeclined = true;
  for (const a of agents) {
    if (!canTakeCall(a) || !hasSkills(a, queue)) continue;
    const declined = call.declinedBy.includes(a.id);
    if (best === null || (bestDeclined && !declined) || (bestDeclined === declined && compareAgents(queue.strategy, a, best) < 0)) {
      best = a;
      bestDeclined = declined;
    }
  }
  return best;
}

export type Offer = { callId: string; agentId: string };

/**
 * One dispatch round: waiting calls in line order (oldest first, across queues), each offered to the best
 * free agent for its queue; an agent gets at most one offer. A call nobody can take stays waiting and
 * does not hold up a later call of another queue that someone can take.
 */
export function dispatch(agents: readonly AgentWork[], queues: ReadonlyMap<string, QueueNeeds>, waiting: readonly WaitingCall[]): Offer[] {
  const free = agents.map((a) => ({ ...a }));
  const offers: Offer[] = [];
  for (const call of [...waiting].sort(compareCalls)) {
    const queue = queues.get(call.queueId);
    if (!queue) continue;
    const agent = pickAgent(free, queue, call);
    if (!agent) continue;
    agent.callId = call.id;
    offers.push({ callId: call.id, agentId: agent.id });
  }
  return offers;
}

export function compareCalls(a: WaitingCall, b: WaitingCall): number {
  return a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** 1-based place in line of a call among those waiting in its queue (the periodic position message). */
export function positionOf(waiting: readonly WaitingCall[], callId: string): number | null {
  const me = waiting.find((c) => c.id === callId);
  if (!me) return null;
  return waiting.filter((c) => c.queueId === me.queueId && compareCalls(c, me) <= 0).length;
}
