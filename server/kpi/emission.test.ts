import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { figuresOf } from '../../core/kpi/figures';
import { KpiReport } from '../../core/kpi/wire';
import type { Person } from '../../tests/support/server/syncWorld';
import { type ChatWorld, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';

/**
 * Where the contact events come from (issue 14): a web chat's life and a phone call's report write their
 * events in the same transaction as the change, a refused change writes none, a resent call report none
 * again, and the KPI report reads them back. Presence changes land in the presence history.
 */
let w: ChatWorld;
beforeAll(async () => {
  w = await createChatWorld();
});
afterAll(async () => w?.close());

const post = (url: string, who: Person, payload: unknown = {}) => w.app.inject({ method: 'POST', url, headers: who.auth, payload: payload as object });
const eventsOf = async (contactId: string) =>
  (await w.db.query<{ kind: string; agent_id: string | null; data: unknown }>('select kind, agent_id, data from contact_events where contact_id = $1 order by id', [contactId])).rows;

describe('contact events from the chat and call paths', () => {
  test('a web chat: offered, answered after the wait, first response, ended with the talk time, survey asked and answered', async () => {
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w);
    w.clock.now += 12_000;
    expect((await post(`/chat/conversations/${c.conversationId}/accept`, w.anna)).statusCode).toBe(200);
    w.clock.now += 30_000;
    expect((await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: 'Hello Mia!' })).statusCode).toBe(200);
    expect((await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: 'Let me check.' })).statusCode).toBe(200);
    w.clock.now += 300_000;
    // Another team's agent may not close it: refused, and nothing is logged.
    expect((await post(`/chat/conversations/${c.conversationId}/close`, w.zed)).statusCode).toBeGreaterThanOrEqual(400);
    expect((await eventsOf(c.conversationId)).map((e) => e.kind)).toEqual(['offered', 'answered', 'sla_met', 'first_response']);
    expect((await post(`/chat/conversations/${c.conversationId}/close`, w.anna)).statusCode).toBe(200);
    const survey = await w.app.inject({ method: 'POST', url: '/widget/survey', headers: c.auth, payload: { liked: '', disliked: '', improve: '', score: 4 } });
    expect(survey.statusCode).toBe(204);

    expect(await eventsOf(c.conversationId)).toEqual([
      { kind: 'offered', agent_id: null, data: {} },
      { kind: 'answered', agent_id: w.anna.id, data: { waitMs: 12_000, targetMs: 60_000 } },
      // The reply also stopped the ticket's first-response SLA timer in time (issue 14's SLA part).
      { kind: 'sla_met', agent_id: w.anna.id, data: { timer: 'first_response' } },
      { kind: 'first_response', agent_id: w.anna.id, data: { afterMs: 42_000 } },
      { kind: 'ended', agent_id: w.anna.id, data: { talkMs: 330_000 } },
      { kind: 'survey', agent_id: w.anna.id, data: { answered: false } },
      // Closing the chat solved its ticket within the resolution target.
      { kind: 'sla_met', agent_id: w.anna.id, data: { timer: 'resolution' } },
      { kind: 'survey', agent_id: w.anna.id, data: { answered: true, score: 4 } },
    ]);
    const res = await w.app.inject({ method: 'GET', url: `/kpi/report?teamId=${w.teamA}&period=day&anchor=2026-03-02&agentId=${w.anna.id}`, headers: w.anna.auth });
    expect(res.statusCode, res.body).toBe(200);
    const f = figuresOf(KpiReport.parse(res.json()).current.total);
    expect(f).toMatchObject({ handled: 1, ahtMs: 330_000, asaMs: 12_000 });
    expect(f.csat).toMatchObject({ average: 4, responseRate: 1, valid: true });
  });

  test('a customer who leaves before any agent answers: abandoned after the wait, not handled', async () => {
    const c = await startChat(w);
    w.clock.now += 45_000;
    expect((await w.app.inject({ method: 'POST', url: '/widget/close', headers: c.auth })).statusCode).toBe(200);
    // No sla_met: nobody answered, so closing the ticket must not count its timers as met (it did, and
    // every abandoned web chat raised the team's "SLA met"); abandonment is its own figure.
    expect(await eventsOf(c.conversationId)).toEqual([
      { kind: 'offered', agent_id: null, data: {} },
      { kind: 'abandoned', agent_id: null, data: { waitMs: 45_000 } },
      { kind: 'ended', agent_id: null, data: { talkMs: 0 } },
    ]);
    const timers = await w.db.query<{ kind: string; state: string }>(
      'select t.kind, t.state from sla_timers t join conversations c on c.ticket_id = t.ticket_id where c.id = $1 order by t.kind',
      [c.conversationId],
    );
    expect(timers.rows.length).toBeGreaterThan(0);
    expect(timers.rows.every((t) => t.state === 'abandoned')).toBe(true);
  });

  test('a phone call report: rang, talked, wrapped up; a resent report adds nothing', async () => {
    const report = { id: randomUUID(), callId: 'k1', direction: 'inbound', remote: '+49 30 7654321', startedAt: Date.parse('2026-03-02T10:00:00Z'), durationMs: 95_000, ringMs: 4_000, wrapUpMs: 25_000, outcome: 'answered', disposition: 'resolved' };
    // The phone reports a call after it and its wrap-up ended.
    w.clock.now = report.startedAt + report.durationMs + report.wrapUpMs + 5_000;
    const first = await post('/chat/calls', w.bo, report);
    expect(first.statusCode, first.body).toBe(200);
    const conversationId = first.json<{ conversationId: string }>().conversationId;
    expect((await post('/chat/calls', w.bo, report)).json<{ duplicate: boolean }>().duplicate).toBe(true);
    expect(await eventsOf(conversationId)).toEqual([
      { kind: 'offered', agent_id: null, data: {} },
      { kind: 'answered', agent_id: w.bo.id, data: { waitMs: 4_000, targetMs: 60_000 } },
      { kind: 'ended', agent_id: w.bo.id, data: { talkMs: 95_000 } },
      { kind: 'wrap_up', agent_id: w.bo.id, data: { wrapUpMs: 25_000, disposition: 'resolved' } },
      // Answering the call was the response: the voice ticket's first-response timer is met.
      { kind: 'sla_met', agent_id: w.bo.id, data: { timer: 'first_response' } },
    ]);
  });

  test('presence changes are kept as stretches in the presence history', async () => {
    await setPresence(w, w.bo, 'available');
    w.clock.now += 60_000;
    await setPresence(w, w.bo, 'break');
    await setPresence(w, w.bo, 'break');
    const { rows } = await w.db.query<{ state: string; open: boolean }>('select state, ended_at is null as open from presence_log where user_id = $1 order by id', [w.bo.id]);
    expect(rows).toEqual([
      { state: 'available', open: false },
      { state: 'break', open: true },
    ]);
  });

  test("the phone's periodic live report keeps the history too: a repeat changes nothing, a new state opens a stretch", async () => {
    const live = (presence: string) => post('/coaching/live', w.anna, { presence, call: null });
    expect((await live('busy')).statusCode).toBe(204);
    w.clock.now += 15_000;
    expect((await live('busy')).statusCode).toBe(204);
    w.clock.now += 15_000;
    expect((await live('after-call')).statusCode).toBe(204);
    const { rows } = await w.db.query<{ state: string; open: boolean }>('select state, ended_at is null as open from presence_log where user_id = $1 order by id', [w.anna.id]);
    expect(rows.slice(-2)).toEqual([
      { state: 'busy', open: false },
      { state: 'after-call', open: true },
    ]);
    expect(rows.filter((r) => r.state === 'busy')).toHaveLength(1);
  });
});
