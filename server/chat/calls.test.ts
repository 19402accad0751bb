import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Conversation, ConversationDetail, ConversationList } from '../../core/wire/chat';
import { parseCallLine, type CallReport, type CallReportResult } from '../../core/wire/chatCalls';
import type { Person } from '../../tests/support/server/syncWorld';
import { type ChatWorld, createChatWorld } from '../../tests/support/server/chatWorld';
import { e164Of } from './calls';

let w: ChatWorld;
beforeEach(async () => {
  w = await createChatWorld();
});
afterEach(() => w.close());

const report = (over: Partial<CallReport> = {}): CallReport => ({
  id: randomUUID(), callId: 'c1', direction: 'inbound', remote: '+49 30 1234567', startedAt: Date.parse('2026-03-02T08:50:00Z'),
  durationMs: 95_000, outcome: 'answered', ...over,
});
const send = (who: Person, body: unknown) => w.app.inject({ method: 'POST', url: '/chat/calls', headers: who.auth, payload: body as Record<string, unknown> });
const detail = async (who: Person, id: string) => (await w.app.inject({ method: 'GET', url: `/chat/conversations/${id}`, headers: who.auth })).json<ConversationDetail>();
const list = async (who: Person): Promise<Conversation[]> => (await w.app.inject({ method: 'GET', url: '/chat/conversations', headers: who.auth })).json<ConversationList>().conversations;

describe('calls in the conversation history (POST /chat/calls)', () => {
  test("a call from a known number lands in that customer's history, on their open ticket, once however often it is resent", async () => {
    const { rows } = await w.db.query<{ id: string }>("insert into customers (name, phone, language) values ('Lena Fischer', '+49301234567', 'en') returning id");
    const customerId = rows[0]!.id;
    const { rows: t } = await w.db.query<{ id: string }>(
      "insert into tickets (subject, status, priority, customer_id, team_id, channel) values ('Parcel late', 'open', 'normal', $1, $2, 'email') returning id",
      [customerId, w.teamA],
    );
    const r = report();
    const first = await send(w.anna, r);
    expect(first.statusCode, first.body).toBe(200);
    const result = first.json<CallReportResult>();
    expect(result).toMatchObject({ ticketId: t[0]!.id, duplicate: false });
    const again = await send(w.anna, r);
    expect(again.json<CallReportResult>()).toEqual({ ...result, duplicate: true });

    const calls = (await list(w.anna)).filter((c) => c.channel === 'voice');
    expect(calls.map((c) => [c.id, c.customerId, c.state, c.assigneeId])).toEqual([[result.conversationId, customerId, 'closed', w.anna.id]]);
    const messages = (await detail(w.anna, result.conversationId)).messages;
    expect(messages.map((m) => [m.eventCode, parseCallLine(m.body)])).toEqual([
      ['voice-call', { direction: 'inbound', outcome: 'answered', durationSeconds: 95, remote: '+49 30 1234567' }],
    ]);
    const { rows: notes } = await w.db.query<{ body: string }>("select body from ticket_comments where ticket_id = $1 and kind = 'internal'", [t[0]!.id]);
    expect(notes.map((n) => n.body)).toEqual(['Inbound call · answered · 1:35 · +49 30 1234567']);
    // Another team does not see the call.
    expect((await list(w.zed)).some((c) => c.id === result.conversationId)).toBe(false);
  });

  test('a missed call from an unknown number makes a contact with that number and a ticket for the agent', async () => {
    const res = await send(w.anna, report({ remote: '0086 138 1234 5678', remoteName: '王小明', durationMs: 0, outcome: 'missed', disposition: 'callback' }));
    expect(res.statusCode, res.body).toBe(200);
    const { ticketId, conversationId } = res.json<CallReportResult>();
    const { rows } = await w.db.query<{ name: string; phone: string; assignee_id: string; team_id: string }>(
      'select cu.name, cu.phone, t.assignee_id, t.team_id from tickets t join customers cu on cu.id = t.customer_id where t.id = $1',
      [ticketId],
    );
    expect(rows[0]).toEqual({ name: '王小明', phone: '+8613812345678', assignee_id: w.anna.id, team_id: w.teamA });
    const conv = (await detail(w.anna, conversationId)).conversation;
    expect([conv.channel, conv.customerName, conv.state]).toEqual(['voice', '王小明', 'closed']);
  });

  test("a ticket the agent may not read is not linked; bad reports are refused with a reason and store nothing", async () => {
    const { rows: t } = await w.db.query<{ id: string }>(
      "insert into tickets (subject, status, priority, team_id, channel) values ('Other team', 'open', 'normal', $1, 'web') returning id",
      [w.teamB],
    );
    const res = await send(w.anna, report({ ticketId: t[0]!.id, remote: '1004' }));
    expect(res.json<CallReportResult>().ticketId).not.toBe(t[0]!.id);

    for (const bad of [{ ...report(), outcome: '<script>' }, { ...report(), remote: '' }, { ...report(), durationMs: -1 }, { ...report(), id: 'nope' }]) {
      expect((await send(w.anna, bad)).statusCode).toBe(400);
    }
    expect((await w.app.inject({ method: 'POST', url: '/chat/calls', payload: report() })).statusCode).toBe(401);
    const { rows } = await w.db.query<{ n: number }>("select count(*)::int as n from conversations where channel = 'voice'");
    expect(rows[0]!.n).toBe(1);
  });

  test("issue 12 item 4 (call reports): another team's customer is never linked by number or id; the caller gets a new contact and sees nothing of theirs", async () => {
    const { rows } = await w.db.query<{ id: string }>("insert into customers (name, phone, email) values ('Wang Shanghai', '+8613812345678', 'wang@example.cn') returning id");
    const theirs = rows[0]!.id;
    const { rows: t } = await w.db.query<{ id: string }>(
      "insert into tickets (subject, status, priority, customer_id, team_id, channel) values ('Their ticket', 'open', 'normal', $1, $2, 'phone') returning id",
      [theirs, w.teamB],
    );
    for (const r of [report({ remote: '+86 138 1234 5678' }), report({ remote: '1004', customerId: theirs }), report({ remote: '+86 138 1234 5678', ticketId: t[0]!.id })]) {
      const res = await send(w.anna, r);
      expect(res.statusCode, res.body).toBe(200);
      const { ticketId, conversationId } = res.json<CallReportResult>();
      expect(ticketId).not.toBe(t[0]!.id);
      const { rows: made } = await w.db.query<{ customer_id: string; team_id: string }>('select customer_id, team_id from tickets where id = $1', [ticketId]);
      expect(made[0]).toMatchObject({ team_id: w.teamA });
      expect(made[0]!.customer_id).not.toBe(theirs);
      const ticket = await w.app.inject({ method: 'GET', url: `/tickets/${ticketId}`, headers: w.anna.auth });
      expect(JSON.stringify(ticket.json())).not.toMatch(/Wang Shanghai|wang@example/);
      expect((await detail(w.anna, conversationId)).conversation.customerId).not.toBe(theirs);
    }
    const { rows: notes } = await w.db.query('select 1 from ticket_comments where ticket_id = $1', [t[0]!.id]);
    expect(notes).toEqual([]);
    // Their own team still finds the customer by number.
    const zed = (await send(w.zed, report({ remote: '+86 138 1234 5678' }))).json<CallReportResult>();
    expect(zed.ticketId).toBe(t[0]!.id);
  });

  test('numbers are matched in E.164 form only', () => {
    expect(['+49 30 1234567', '0049-30-1234567', '1004', 'sip:bob@example.com', '+0123'].map(e164Of)).toEqual(['+49301234567', '+49301234567', null, null, null]);
  });
});
