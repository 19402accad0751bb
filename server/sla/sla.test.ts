import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { SlaPolicyInput, TeamSlaSettings } from '../../core/sla/policy';
import type { Conversation } from '../../core/wire/chat';
import type { Alarm, AlarmList, AlarmSocketMessage, TeamSlaSettingsView } from '../../core/wire/sla';
import { type ChatWorld, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';
import { type Person, addPerson } from '../../tests/support/server/syncWorld';

let w: ChatWorld;
let leadB: Person;
beforeEach(async () => {
  w = await createChatWorld();
  leadB = await addPerson(w.db, 'leadb', 'lead', w.teamB);
});
afterEach(async () => {
  await w.close();
});

const chatPolicy = (over: Partial<SlaPolicyInput> = {}): SlaPolicyInput => ({
  channel: 'chat',
  priority: 'any',
  firstResponseSeconds: 60,
  nextResponseSeconds: 120,
  resolutionSeconds: 3600,
  warnPercent: 80,
  businessHours: false,
  escalateAfterSeconds: 300,
  escalationUserId: null,
  ...over,
});
const settings = (over: Partial<TeamSlaSettings> = {}): TeamSlaSettings => ({ timeZone: 'Europe/Berlin', hours: [], holidays: [], policies: [chatPolicy()], ...over });
const put = (who: Person, teamId: string, body: unknown) => w.app.inject({ method: 'PUT', url: `/sla/teams/${teamId}/settings`, headers: who.auth, payload: body as object });
const alarmsOf = async (who: Person) => (await w.app.inject({ method: 'GET', url: '/sla/alarms', headers: who.auth })).json<AlarmList>().alarms;
const post = (url: string, who: Person, payload: unknown = {}) => w.app.inject({ method: 'POST', url, headers: who.auth, payload: payload as object });
const ticketOf = async (conversationId: string) => {
  const { rows } = await w.db.query<{ id: string; sla_first_response_due: Date | null; sla_due_at: Date | null }>(
    'select t.id, t.sla_first_response_due, c.sla_due_at from conversations c join tickets t on t.id = c.ticket_id where c.id = $1',
    [conversationId],
  );
  return rows[0]!;
};
const timers = async (ticketId: string) =>
  (await w.db.query<{ kind: string; state: string; stopped_at: Date | null }>('select kind, state, stopped_at from sla_timers where ticket_id = $1 order by kind', [ticketId])).rows;

async function alarmSocket(who: Person): Promise<{ got: AlarmSocketMessage[]; close(): void }> {
  const address = w.app.server.address();
  const socket = new WebSocket(`ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/sla/socket`);
  const got: AlarmSocketMessage[] = [];
  socket.on('message', (d) => got.push(JSON.parse(d.toString()) as AlarmSocketMessage));
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'auth', token: who.token }));
  await expect.poll(() => got.some((m) => m.type === 'ready'), { timeout: 10_000 }).toBe(true);
  return { got, close: () => socket.close() };
}
const levels = (got: AlarmSocketMessage[]) => got.flatMap((m) => (m.type === 'alarm' ? [m.alarm.level] : []));

describe('first response on a chat', () => {
  test("warning at 80% to the assignee and the team's leads only, breach at the target, once each; the reply stops the timer and clears Overdue", async () => {
    await w.app.listen({ host: '127.0.0.1', port: 0 });
    expect((await put(w.lead, w.teamA, settings())).statusCode).toBe(200);
    const [leadA, other, anna] = [await alarmSocket(w.lead), await alarmSocket(leadB), await alarmSocket(w.anna)];
    await setPresence(w, w.anna, 'available');
    const start = w.clock.now;
    const c = await startChat(w);
    await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    const t0 = await ticketOf(c.conversationId);
    expect(t0.sla_first_response_due?.getTime()).toBe(start + 60_000);
    expect(t0.sla_due_at?.getTime()).toBe(start + 60_000);

    w.clock.now = start + 47_000;
    expect(await w.sla.scanOnce()).toEqual([]);
    w.clock.now = start + 48_000;
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual(['warning']);
    expect(await w.sla.scanOnce()).toEqual([]);
    w.clock.now = start + 60_000;
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual(['breach']);
    expect(await w.sla.scanOnce()).toEqual([]);

    await expect.poll(() => levels(leadA.got), { timeout: 10_000 }).toEqual(['warning', 'breach']);
    await expect.poll(() => levels(anna.got), { timeout: 10_000 }).toEqual(['warning', 'breach']);
    expect(levels(other.got)).toEqual([]);
    expect((await alarmsOf(leadB))).toEqual([]);
    expect((await alarmsOf(w.bo))).toEqual([]);
    expect((await alarmsOf(w.lead)).map((a) => a.level)).toEqual(['breach', 'warning']);
    expect((await timers(t0.id)).find((t) => t.kind === 'first_response')).toMatchObject({ state: 'missed', stopped_at: null });

    // An internal note is no response; the message to the customer is.
    await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: 'checking the order', kind: 'note' });
    expect((await ticketOf(c.conversationId)).sla_first_response_due).not.toBeNull();
    w.clock.now = start + 70_000;
    await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: 'Hello Mia, sorry for the wait!' });
    const after = await ticketOf(c.conversationId);
    expect(after).toMatchObject({ sla_first_response_due: null, sla_due_at: null });
    const conv = (await w.app.inject({ method: 'GET', url: `/chat/conversations/${c.conversationId}`, headers: w.anna.auth })).json<{ conversation: Conversation }>().conversation;
    expect(conv.slaDueAt).toBeNull();
    expect((await timers(t0.id)).find((t) => t.kind === 'first_response')?.stopped_at?.getTime()).toBe(start + 70_000);
    for (const s of [leadA, other, anna]) s.close();
  });

  test('answered before the due time: met, no alarm ever; the next customer message starts the next-response timer', async () => {
    await put(w.lead, w.teamA, settings());
    await setPresence(w, w.anna, 'available');
    const start = w.clock.now;
    const c = await startChat(w);
    await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    w.clock.now = start + 10_000;
    await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: 'Hi!' });
    w.clock.now = start + 120_000;
    expect(await w.sla.scanOnce()).toEqual([]);
    const { id } = await ticketOf(c.conversationId);
    expect((await timers(id)).map((t) => [t.kind, t.state])).toEqual([['first_response', 'met'], ['resolution', 'active']]);
    await w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body: 'One more question' } });
    expect((await ticketOf(c.conversationId)).sla_first_response_due?.getTime()).toBe(start + 120_000 + 120_000);
  });

  test('paused while the ticket waits on the customer: no alarm while pending, the time left carries over', async () => {
    await put(w.lead, w.teamA, settings());
    const start = w.clock.now;
    const c = await startChat(w);
    const { id } = await ticketOf(c.conversationId);
    w.clock.now = start + 20_000;
    const clientId = randomUUID();
    const push = async (status: string, n: number) =>
      w.app.inject({
        method: 'POST',
        url: '/sync/push',
        headers: w.lead.auth,
        payload: { clientId, mutations: [{ id: n, createdAt: 1, name: 'updateTicket', args: { ticketId: id, changes: { status } } }] },
      });
    expect((await push('pending', 1)).statusCode).toBe(200);
    expect((await ticketOf(c.conversationId)).sla_first_response_due).toBeNull();
    w.clock.now = start + 600_000;
    expect(await w.sla.scanOnce()).toEqual([]);
    await push('open', 2);
    // 40 s were left at the pause.
    expect((await ticketOf(c.conversationId)).sla_first_response_due?.getTime()).toBe(start + 600_000 + 40_000);
  });
});

describe('transfer', () => {
  test("a chat moved to another team's queue takes its timer along: the breach goes to the new team's lead only", async () => {
    await put(w.lead, w.teamA, settings());
    const start = w.clock.now;
    const c = await startChat(w);
    expect((await post(`/chat/conversations/${c.conversationId}/transfer`, w.lead, { toQueueId: w.queues.zh })).statusCode).toBe(200);
    w.clock.now = start + 60_000;
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual(['breach']);
    expect((await alarmsOf(leadB)).map((a) => a.level)).toEqual(['breach']);
    expect(await alarmsOf(w.lead)).toEqual([]);
  });
});

describe('what counts as a response', () => {
  test('voice: an answered call is the response; a missed call leaves the call-back timer running', async () => {
    const call = (outcome: string, remote: string) =>
      w.app.inject({
        method: 'POST',
        url: '/chat/calls',
        headers: w.anna.auth,
        payload: { id: randomUUID(), callId: randomUUID(), direction: 'inbound', remote, startedAt: w.clock.now, durationMs: outcome === 'answered' ? 60_000 : 0, outcome },
      });
    const answered = (await call('answered', '+49 30 1111111')).json<{ ticketId: string }>();
    const missed = (await call('missed', '+49 30 2222222')).json<{ ticketId: string }>();
    expect((await timers(answered.ticketId)).find((t) => t.kind === 'first_response')?.state).toBe('met');
    expect((await timers(missed.ticketId)).find((t) => t.kind === 'first_response')?.state).toBe('active');
    const due = async (id: string) => (await w.db.query<{ d: Date | null }>('select sla_first_response_due as d from tickets where id = $1', [id])).rows[0]!.d;
    expect(await due(answered.ticketId)).toBeNull();
    expect(await due(missed.ticketId)).not.toBeNull();
  });
});

describe('escalation and acknowledgment', () => {
  test('a breach nobody acknowledges escalates to the admins after the delay; acknowledged with who and when, once', async () => {
    await put(w.lead, w.teamA, settings({ policies: [chatPolicy({ escalateAfterSeconds: 120 })] }));
    const start = w.clock.now;
    await startChat(w);
    w.clock.now = start + 60_000;
    await w.sla.scanOnce();
    w.clock.now = start + 179_000;
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual([]);
    w.clock.now = start + 180_000;
    expect((await w.sla.scanOnce()).map((a) => a.level)).toEqual(['escalation']);
    expect((await alarmsOf(w.admin)).map((a) => a.level)).toContain('escalation');
    expect((await alarmsOf(w.anna)).map((a) => a.level)).not.toContain('escalation');

    const breach = (await alarmsOf(w.lead)).find((a) => a.level === 'breach')!;
    expect((await post(`/sla/alarms/${breach.id}/ack`, leadB)).statusCode).toBe(404);
    w.clock.now = start + 200_000;
    const acked = (await post(`/sla/alarms/${breach.id}/ack`, w.lead)).json<Alarm>();
    expect(acked).toMatchObject({ acknowledgedAt: start + 200_000, acknowledgedByName: 'lead' });
    w.clock.now = start + 210_000;
    expect((await post(`/sla/alarms/${breach.id}/ack`, w.admin)).json<Alarm>()).toMatchObject({ acknowledgedAt: start + 200_000, acknowledgedByName: 'lead' });
  });

  test('an acknowledged breach does not escalate', async () => {
    await put(w.lead, w.teamA, settings({ policies: [chatPolicy({ escalateAfterSeconds: 120 })] }));
    const start = w.clock.now;
    await startChat(w);
    w.clock.now = start + 60_000;
    const [breach] = await w.sla.scanOnce();
    await post(`/sla/alarms/${breach!.id}/ack`, w.lead);
    w.clock.now = start + 600_000;
    expect(await w.sla.scanOnce()).toEqual([]);
  });
});

describe('policy settings', () => {
  test.each([
    ['a zero target', settings({ policies: [chatPolicy({ firstResponseSeconds: 0 })] }), 'policies.0.firstResponseSeconds: must be more than zero'],
    ['a negative target', settings({ policies: [chatPolicy({ resolutionSeconds: -5 })] }), 'policies.0.resolutionSeconds: must be more than zero'],
    ['a warning at 100%', settings({ policies: [chatPolicy({ warnPercent: 100 })] }), 'policies.0.warnPercent: must be between 1 and 99'],
    ['an unknown time zone', settings({ timeZone: 'Mars/Base' }), 'timeZone: is not a known time zone'],
    ['inverted hours', settings({ hours: [{ weekday: 1, start: '18:00', end: '09:00' }] }), 'hours.0: ends (09:00) before it starts (18:00)'],
    ['overlapping hours', settings({ hours: [{ weekday: 2, start: '09:00', end: '13:00' }, { weekday: 2, start: '12:00', end: '18:00' }] }), 'hours.1: overlaps another interval of the same day'],
    ['a holiday twice', settings({ holidays: [{ date: '2026-12-25', name: 'Christmas' }, { date: '2026-12-25', name: 'Xmas' }] }), 'holidays.1: 2026-12-25 is listed twice'],
    ['two policies for one key', settings({ policies: [chatPolicy(), chatPolicy()] }), 'policies.1: a second policy for channel chat and priority any'],
  ])('%s is refused with a clear message and nothing is saved', async (_name, body, message) => {
    const good = settings({ hours: [{ weekday: 1, start: '09:00', end: '18:00' }], holidays: [{ date: '2026-12-24', name: 'Christmas Eve' }] });
    expect((await put(w.lead, w.teamA, good)).statusCode).toBe(200);
    const before = (await w.app.inject({ method: 'GET', url: `/sla/teams/${w.teamA}/settings`, headers: w.lead.auth })).json<TeamSlaSettingsView>();
    const res = await put(w.lead, w.teamA, body);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain(message);
    const after = (await w.app.inject({ method: 'GET', url: `/sla/teams/${w.teamA}/settings`, headers: w.lead.auth })).json<TeamSlaSettingsView>();
    expect(after).toEqual(before);
  });

  test('an escalation contact who is not a lead or admin is refused inside the transaction, and nothing of the save stays', async () => {
    await put(w.lead, w.teamA, settings());
    const res = await put(w.lead, w.teamA, settings({ timeZone: 'Asia/Shanghai', policies: [chatPolicy({ escalationUserId: w.bo.id })] }));
    expect(res.statusCode).toBe(400);
    const after = (await w.app.inject({ method: 'GET', url: `/sla/teams/${w.teamA}/settings`, headers: w.lead.auth })).json<TeamSlaSettingsView>();
    expect(after.timeZone).toBe('Europe/Berlin');
  });

  test("only the team's leads and admins see and change its policies", async () => {
    expect((await put(w.anna, w.teamA, settings())).statusCode).toBe(403);
    expect((await put(leadB, w.teamA, settings())).statusCode).toBe(403);
    expect((await put(w.admin, w.teamA, settings())).statusCode).toBe(200);
    expect((await w.app.inject({ method: 'GET', url: `/sla/teams/${w.teamA}/settings`, headers: leadB.auth })).statusCode).toBe(403);
  });
});
