import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SlaPolicyInput, TeamSlaSettings } from '../../core/sla/policy';
import { type ChatWorld, createChatWorld, startChat } from '../../tests/support/server/chatWorld';
import type { Person } from '../../tests/support/server/syncWorld';

/**
 * Issue 14: a policy edit re-times the timers already running (server/sla/timers.ts retimeRunning), keeping
 * the time each has used; the ticket's Due / Overdue follows at once.
 */
let w: ChatWorld;
beforeEach(async () => {
  w = await createChatWorld();
});
afterEach(async () => {
  await w.close();
});

const chatPolicy = (over: Partial<SlaPolicyInput> = {}): SlaPolicyInput => ({
  channel: 'chat',
  priority: 'any',
  firstResponseSeconds: 600,
  nextResponseSeconds: null,
  resolutionSeconds: 36_000,
  warnPercent: 50,
  businessHours: false,
  escalateAfterSeconds: 300,
  escalationUserId: null,
  ...over,
});
const settings = (over: Partial<TeamSlaSettings> = {}): TeamSlaSettings => ({ timeZone: 'Europe/Berlin', hours: [], holidays: [], policies: [chatPolicy()], ...over });
const put = async (who: Person, body: TeamSlaSettings) => {
  const res = await w.app.inject({ method: 'PUT', url: `/sla/teams/${w.teamA}/settings`, headers: who.auth, payload: body });
  expect(res.statusCode, res.body).toBe(200);
};
const timerOf = async (conversationId: string, kind: string) =>
  (
    await w.db.query<{ state: string; target_seconds: number; due_at: Date | null; warn_at: Date | null; remaining_ms: number | string | null; ticket_due: Date | null; ticket_id: string }>(
      `select s.state, s.target_seconds, s.due_at, s.warn_at, s.remaining_ms::text as remaining_ms, t.sla_first_response_due as ticket_due, t.id as ticket_id
       from conversations c join tickets t on t.id = c.ticket_id join sla_timers s on s.ticket_id = t.id and s.kind = $2 where c.id = $1`,
      [conversationId, kind],
    )
  ).rows[0]!;

describe('a policy edit re-times running timers', () => {
  test('a shorter target keeps the time already used; a longer one moves the due time out; the ticket follows', async () => {
    await put(w.lead, settings());
    const start = w.clock.now;
    const c = await startChat(w);
    expect((await timerOf(c.conversationId, 'first_response')).due_at?.getTime()).toBe(start + 600_000);

    // 4 minutes in, the target drops from 10 to 5 minutes: 1 minute is left.
    w.clock.now = start + 240_000;
    await put(w.lead, settings({ policies: [chatPolicy({ firstResponseSeconds: 300 })] }));
    const shorter = await timerOf(c.conversationId, 'first_response');
    expect(shorter).toMatchObject({ state: 'active', target_seconds: 300 });
    expect(shorter.due_at?.getTime()).toBe(start + 300_000);
    // The warning point moves with it: 50 % of 5 minutes is already behind, so it is due now.
    expect(shorter.warn_at?.getTime()).toBe(start + 240_000);
    expect(shorter.ticket_due?.getTime()).toBe(start + 300_000);
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual(['warning']);

    // Then up to 20 minutes: due 20 minutes after the start; the warning already raised is not raised again.
    await put(w.lead, settings({ policies: [chatPolicy({ firstResponseSeconds: 1200 })] }));
    expect((await timerOf(c.conversationId, 'first_response')).due_at?.getTime()).toBe(start + 1_200_000);
    w.clock.now = start + 700_000;
    expect(await w.sla.scanOnce()).toEqual([]);
    w.clock.now = start + 1_200_000;
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual(['breach']);
  });

  test('a target cut below the time already waited falls due at once; a paused timer keeps its pause with less left', async () => {
    await put(w.lead, settings());
    const start = w.clock.now;
    const late = await startChat(w);
    const paused = await startChat(w, { name: 'Paused', language: 'en' });
    const pausedTicket = (await timerOf(paused.conversationId, 'first_response')).ticket_id;
    w.clock.now = start + 100_000;
    const push = await w.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: w.lead.auth,
      payload: { clientId: randomUUID(), mutations: [{ id: 1, createdAt: 1, name: 'updateTicket', args: { ticketId: pausedTicket, changes: { status: 'pending' } } }] },
    });
    expect(push.statusCode).toBe(200);
    expect((await timerOf(paused.conversationId, 'first_response')).remaining_ms).toBe('500000');

    w.clock.now = start + 200_000;
    await put(w.lead, settings({ policies: [chatPolicy({ firstResponseSeconds: 120 })] }));
    expect((await timerOf(late.conversationId, 'first_response')).due_at?.getTime()).toBe(start + 200_000);
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual(['breach']);
    // Paused after 100 s of a 600 s target; now the target is 120 s: 20 s left, still paused.
    expect(await timerOf(paused.conversationId, 'first_response')).toMatchObject({ state: 'paused', target_seconds: 120, remaining_ms: '20000', due_at: null });
  });

  test('business hours added later: what is left counts only open hours on the new calendar', async () => {
    // Monday 2 March 2026, 10:00 in Berlin (09:00 UTC), around the clock at first.
    w.clock.now = Date.parse('2026-03-02T09:00:00Z');
    await put(w.lead, settings({ policies: [chatPolicy({ firstResponseSeconds: 4 * 3600 })] }));
    const c = await startChat(w);
    // One hour in, the team opens 09:00-12:00 only and the policy counts business hours: 3 h are left,
    // 11:00-12:00 today, then 09:00-11:00 on Tuesday.
    w.clock.now = Date.parse('2026-03-02T10:00:00Z');
    await put(w.lead, settings({ hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })), policies: [chatPolicy({ firstResponseSeconds: 4 * 3600, businessHours: true })] }));
    expect((await timerOf(c.conversationId, 'first_response')).due_at?.toISOString()).toBe('2026-03-03T10:00:00.000Z');
  });
});
