import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../locale';
import { presences } from '../presence';
import { type AgentWork, type QueueNeeds, type WaitingCall, canTakeCall, canTakeChat, compareCalls, dispatch, hasSkills, pickAgent, positionOf } from './routing';

const skillPool = ['billing', 'sales', 'tech'] as const;
const langs: Locale[] = ['en', 'zh-CN', 'zh-TW'];

const agentArb = (i: number) =>
  fc.record({
    presence: fc.constantFrom(...presences),
    skills: fc.subarray([...skillPool]),
    languages: fc.subarray(langs, { minLength: 1 }),
    idleSince: fc.integer({ min: 0, max: 1_000 }),
    answeredToday: fc.integer({ min: 0, max: 5 }),
    busy: fc.boolean(),
    activeChats: fc.integer({ min: 0, max: 3 }),
  }).map((r): AgentWork => ({ id: `a${String(i).padStart(3, '0')}`, presence: r.presence, skills: r.skills, languages: r.languages, idleSince: r.idleSince, answeredToday: r.answeredToday, callId: r.busy ? `busy-${i}` : null, activeChats: r.activeChats, maxChats: 3 }));

const agentsArb = fc.integer({ min: 0, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => agentArb(i))));

const queuesArb = fc.array(fc.record({ skills: fc.subarray([...skillPool], { maxLength: 2 }), language: fc.option(fc.constantFrom(...langs)), strategy: fc.constantFrom('longest-idle' as const, 'fewest-answered' as const) }), { minLength: 1, maxLength: 4 })
  .map((qs) => new Map(qs.map((q, i): [string, QueueNeeds] => [`q${i}`, { id: `q${i}`, ...q }])));

const callsArb = (queueIds: string[], agentIds: string[]) =>
  fc.array(fc.record({ queue: fc.constantFrom(...queueIds), at: fc.integer({ min: 0, max: 500 }), declined: fc.subarray(agentIds, { maxLength: Math.min(3, agentIds.length) }) }), { maxLength: 40 })
    .map((cs) => cs.map((c, i): WaitingCall => ({ id: `c${String(i).padStart(3, '0')}`, queueId: c.queue, enqueuedAt: c.at, declinedBy: c.declined })));

const world = fc.tuple(agentsArb, queuesArb).chain(([agents, queues]) => fc.tuple(fc.constant(agents), fc.constant(queues), callsArb([...queues.keys()], agents.map((a) => a.id))));

describe('voice queue routing (pure)', () => {
  it('never offers one call twice or one agent two calls, never to a busy, unavailable or unskilled agent', () => {
    fc.assert(
      fc.property(world, ([agents, queues, calls]) => {
        const offers = dispatch(agents, queues, calls);
        expect(new Set(offers.map((o) => o.callId)).size).toBe(offers.length);
        expect(new Set(offers.map((o) => o.agentId)).size).toBe(offers.length);
        for (const o of offers) {
          const a = agents.find((x) => x.id === o.agentId)!;
          const call = calls.find((c) => c.id === o.callId)!;
          expect(a.presence).toBe('available');
          expect(a.callId).toBeNull();
          expect(hasSkills(a, queues.get(call.queueId)!)).toBe(true);
        }
      }),
    );
  });

  it('keeps the waiting order: a call left waiting means no agent could take it when its turn came', () => {
    fc.assert(
      fc.property(world, ([agents, queues, calls]) => {
        const offers = dispatch(agents, queues, calls);
        const offered = new Map(offers.map((o) => [o.callId, o.agentId]));
        const sorted = [...calls].sort(compareCalls);
        for (const [i, call] of sorted.entries()) {
          if (offered.has(call.id)) continue;
          // Agents taken by calls ahead in line; nobody left could take this one.
          const taken = new Set(sorted.slice(0, i).map((c) => offered.get(c.id)).filter(Boolean));
          const q = queues.get(call.queueId)!;
          expect(agents.some((a) => !taken.has(a.id) && canTakeCall(a) && hasSkills(a, q))).toBe(false);
        }
        // Within a queue, a later call is never offered while an earlier one waits.
        for (const [i, early] of sorted.entries()) {
          if (offered.has(early.id)) continue;
          for (const late of sorted.slice(i + 1)) if (late.queueId === early.queueId) expect(offered.has(late.id)).toBe(false);
        }
      }),
    );
  });

  it('longest idle first; fewest answered first when the queue says so; someone who let the call ring out only as a last resort', () => {
    const base = { presence: 'available' as const, skills: ['billing'], languages: ['en' as const], callId: null, activeChats: 0, maxChats: 3 };
    const agents: AgentWork[] = [
      { ...base, id: 'recent', idleSince: 900, answeredToday: 0 },
      { ...base, id: 'idle', idleSince: 100, answeredToday: 9 },
      { ...base, id: 'noskill', skills: [], idleSince: 1, answeredToday: 0 },
      { ...base, id: 'onbreak', presence: 'break', idleSince: 2, answeredToday: 0 },
    ];
    const q: QueueNeeds = { id: 'q', skills: ['billing'], language: 'en', strategy: 'longest-idle' };
    expect(pickAgent(agents, q, { declinedBy: [] })?.id).toBe('idle');
    expect(pickAgent(agents, { ...q, strategy: 'fewest-answered' }, { declinedBy: [] })?.id).toBe('recent');
    expect(pickAgent(agents, q, { declinedBy: ['idle'] })?.id).toBe('recent');
    expect(pickAgent(agents, q, { declinedBy: ['idle', 'recent'] })?.id).toBe('idle');
    expect(pickAgent(agents, { ...q, language: 'zh-CN' }, { declinedBy: [] })).toBeNull();
  });

  it('one notion of free: a call rules out other calls, and chats unless the team allows chats during calls', () => {
    const a: AgentWork = { id: 'a', presence: 'available', skills: [], languages: ['en'], idleSince: 0, answeredToday: 0, callId: 'c1', activeChats: 0, maxChats: 3 };
    expect(canTakeCall(a)).toBe(false);
    expect(canTakeChat(a, false)).toBe(false);
    expect(canTakeChat(a, true)).toBe(true);
    expect(canTakeChat({ ...a, callId: null, activeChats: 3 }, true)).toBe(false);
    for (const p of ['busy', 'after-call', 'break', 'offline'] as const) expect(canTakeCall({ ...a, callId: null, presence: p })).toBe(false);
  });

  it('position in line counts the calls of the same queue that came first', () => {
    const calls: WaitingCall[] = [
      { id: 'x', queueId: 'q1', enqueuedAt: 5, declinedBy: [] },
      { id: 'y', queueId: 'q2', enqueuedAt: 1, declinedBy: [] },
      { id: 'z', queueId: 'q1', enqueuedAt: 9, declinedBy: [] },
    ];
    expect(positionOf(calls, 'z')).toBe(2);
    expect(positionOf(calls, 'y')).toBe(1);
    expect(positionOf(calls, 'nope')).toBeNull();
  });
});
