import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Conversation, ConversationDetail, ConversationList, EventPage, Message } from '../../core/wire/chat';
import type { Person } from '../../tests/support/server/syncWorld';
import { type ChatWorld, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';

let w: ChatWorld;
beforeEach(async () => {
  w = await createChatWorld();
});
afterEach(async () => {
  await w.close();
});

const conversation = async (id: string, who: Person = w.admin) => {
  const res = await w.app.inject({ method: 'GET', url: `/chat/conversations/${id}`, headers: who.auth });
  expect(res.statusCode).toBe(200);
  return res.json<ConversationDetail>();
};
const post = (url: string, who: Person, payload: unknown = {}) => w.app.inject({ method: 'POST', url, headers: who.auth, payload: payload as object });

describe('routing', () => {
  test('a new web chat joins the queue of its skills: language, then product', async () => {
    const en = await startChat(w, { name: 'Mia', language: 'en' });
    const billing = await startChat(w, { name: 'Max', language: 'en', product: 'Billing' });
    const zh = await startChat(w, { name: '王小明', language: 'zh-CN' });
    expect((await conversation(en.conversationId)).conversation).toMatchObject({ queueId: w.queues.en, teamId: w.teamA, state: 'queued', channel: 'webchat' });
    expect((await conversation(billing.conversationId)).conversation.queueId).toBe(w.queues.enBilling);
    expect((await conversation(zh.conversationId)).conversation).toMatchObject({ queueId: w.queues.zh, teamId: w.teamB });
    const { rows } = await w.db.query<{ channel: string; team_id: string; name: string }>(
      'select t.channel, t.team_id, cu.name from conversations c join tickets t on t.id = c.ticket_id join customers cu on cu.id = c.customer_id where c.id = $1',
      [zh.conversationId],
    );
    expect(rows[0]).toEqual({ channel: 'chat', team_id: w.teamB, name: '王小明' });
  });

  test("nobody available: the chat waits in the team's unassigned queue, which teammates see and other teams do not", async () => {
    const c = await startChat(w);
    const list = async (who: Person) => (await w.app.inject({ method: 'GET', url: '/chat/conversations', headers: who.auth })).json<ConversationList>();
    expect((await list(w.bo)).conversations.map((x) => x.id)).toEqual([c.conversationId]);
    expect((await list(w.zed)).conversations).toEqual([]);
    // Anyone in the team may claim it from the queue.
    const claimed = await post(`/chat/conversations/${c.conversationId}/accept`, w.bo);
    expect(claimed.json<Conversation>()).toMatchObject({ state: 'active', assigneeId: w.bo.id, assigneeName: 'bo' });
  });

  test('offer → accept → active; the ticket gets the assignee', async () => {
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w);
    const offered = (await conversation(c.conversationId)).conversation;
    expect(offered).toMatchObject({ state: 'offered', offeredToId: w.anna.id });
    expect(offered.offerExpiresAt).toBe(w.clock.now + 30_000);
    expect((await post(`/chat/conversations/${c.conversationId}/accept`, w.bo)).statusCode).toBe(409);
    const res = await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    expect(res.json<Conversation>()).toMatchObject({ state: 'active', assigneeId: w.anna.id, offeredToId: null });
    const { rows } = await w.db.query<{ assignee_id: string; status: string }>('select assignee_id, status from tickets where id = $1', [offered.ticketId]);
    expect(rows[0]).toEqual({ assignee_id: w.anna.id, status: 'open' });
  });

  test('an offer that times out goes to the next agent; a decline does too', async () => {
    await setPresence(w, w.anna, 'available');
    w.clock.now += 1000;
    await setPresence(w, w.bo, 'available');
    const c = await startChat(w);
    expect((await conversation(c.conversationId)).conversation.offeredToId).toBe(w.anna.id);
    w.clock.now += 29_000;
    await w.chat.service.sweep();
    expect((await conversation(c.conversationId)).conversation.offeredToId).toBe(w.anna.id);
    w.clock.now += 1_000;
    await w.chat.service.sweep();
    expect((await conversation(c.conversationId)).conversation).toMatchObject({ state: 'offered', offeredToId: w.bo.id });
    expect((await post(`/chat/conversations/${c.conversationId}/decline`, w.bo)).statusCode).toBe(200);
    // Both passed: back in the unassigned queue.
    expect((await conversation(c.conversationId)).conversation).toMatchObject({ state: 'queued', offeredToId: null });
  });

  test('capacity: an agent at the limit is not offered more, and cannot claim more', async () => {
    await w.db.query('insert into agent_capacity (user_id, max_chats) values ($1, 2)', [w.anna.id]);
    await setPresence(w, w.anna, 'available');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await startChat(w, { name: `C${i}`, language: 'en' });
      ids.push(c.conversationId);
      await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    }
    const states = await Promise.all(ids.map(async (id) => (await conversation(id)).conversation));
    expect(states.map((s) => s.state)).toEqual(['active', 'active', 'queued']);
    const over = await post(`/chat/conversations/${ids[2]}/accept`, w.anna);
    expect(over.statusCode).toBe(409);
    expect(over.json<{ error: { message: string } }>().error.message).toMatch(/limit is 2/);
    // A chat closes: the waiting one is offered on the next sweep.
    await post(`/chat/conversations/${ids[0]}/close`, w.anna);
    await w.chat.service.sweep();
    expect((await conversation(ids[2]!)).conversation).toMatchObject({ state: 'offered', offeredToId: w.anna.id });
  });

  test('a ringing offer does not hold back the next chat: pending offers count against the limit instead', async () => {
    await w.db.query('insert into agent_capacity (user_id, max_chats) values ($1, 2)', [w.anna.id]);
    await setPresence(w, w.anna, 'available');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await startChat(w, { name: `R${i}`, language: 'en' })).conversationId);
    const states = await Promise.all(ids.map(async (id) => (await conversation(id)).conversation));
    // Two slots: both ring at once; the third waits (offers pending fill the slots like active chats).
    expect(states.map((s) => [s.state, s.offeredToId])).toEqual([['offered', w.anna.id], ['offered', w.anna.id], ['queued', null]]);
  });

  test('auto-assign queues assign straight away', async () => {
    await setPresence(w, w.zed, 'available');
    const c = await startChat(w, { name: '陈', language: 'zh-CN' });
    expect((await conversation(c.conversationId)).conversation).toMatchObject({ state: 'active', assigneeId: w.zed.id });
  });

  test('transfer to a queue moves chat and ticket to that team; transfer to an agent offers it to them', async () => {
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w);
    await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    const toBo = await post(`/chat/conversations/${c.conversationId}/transfer`, w.anna, { toAgentId: w.bo.id, note: 'VIP, be kind' });
    expect(toBo.json<Conversation>()).toMatchObject({ state: 'offered', offeredToId: w.bo.id, assigneeId: null });
    await post(`/chat/conversations/${c.conversationId}/accept`, w.bo);
    const toZh = await post(`/chat/conversations/${c.conversationId}/transfer`, w.bo, { toQueueId: w.queues.zh });
    expect(toZh.json<Conversation>()).toMatchObject({ queueId: w.queues.zh, teamId: w.teamB, assigneeId: null, state: 'queued' });
    const { rows } = await w.db.query<{ team_id: string; assignee_id: string | null }>('select team_id, assignee_id from tickets where id = $1', [toZh.json<Conversation>().ticketId]);
    expect(rows[0]).toEqual({ team_id: w.teamB, assignee_id: null });
    const history = (await conversation(c.conversationId)).messages;
    expect(history.filter((m) => m.eventCode === 'transferred').map((m) => m.body)).toEqual(['Transferred to bo', 'Transferred to Chinese']);
    expect(history.find((m) => m.kind === 'note')?.body).toBe('VIP, be kind');
  });
});

describe('messages', () => {
  async function activeChat() {
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w);
    await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    return c;
  }

  test('the same client message id twice is one message (an offline outbox replayed after a restart)', async () => {
    const c = await activeChat();
    const id = randomUUID();
    const first = await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id, body: 'Hello Mia!' });
    const again = await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id, body: 'Hello Mia!' });
    expect(again.json<Message>()).toEqual(first.json<Message>());
    const texts = (await conversation(c.conversationId)).messages.filter((m) => m.kind === 'text');
    expect(texts.map((m) => m.body)).toEqual(['Hello Mia!']);
  });

  test('seqs are 1, 2, 3 … per conversation with concurrent senders, in commit order', async () => {
    const c = await activeChat();
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: `agent ${i}` })),
      ...Array.from({ length: 10 }, (_, i) => w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body: `customer ${i}` } })),
    ]);
    const seqs = (await conversation(c.conversationId)).messages.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBe(22);
  });

  test('only the assignee writes to the customer; teammates may add internal notes; a lead note is a coach whisper', async () => {
    const c = await activeChat();
    expect((await post(`/chat/conversations/${c.conversationId}/messages`, w.bo, { id: randomUUID(), body: 'hi' })).statusCode).toBe(403);
    const note = await post(`/chat/conversations/${c.conversationId}/messages`, w.bo, { id: randomUUID(), kind: 'note', body: 'refund was approved' });
    expect(note.json<Message>()).toMatchObject({ kind: 'note', author: 'agent' });
    const whisper = await post(`/chat/conversations/${c.conversationId}/messages`, w.lead, { id: randomUUID(), kind: 'note', body: 'offer the voucher' });
    expect(whisper.json<Message>()).toMatchObject({ kind: 'note', author: 'coach' });
    const other = await post(`/chat/conversations/${c.conversationId}/messages`, w.zed, { id: randomUUID(), kind: 'note', body: 'x' });
    expect(other.statusCode).toBe(404);
  });

  test('a body over 4000 characters is refused with a clear message; nothing is stored', async () => {
    const c = await activeChat();
    const res = await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: 'x'.repeat(4001) });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/at most 4000 characters/);
    expect((await conversation(c.conversationId)).messages.filter((m) => m.kind === 'text')).toEqual([]);
  });

  test('read receipts both ways and the unread count', async () => {
    const c = await activeChat();
    for (const body of ['one', 'two']) await w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body } });
    let conv = (await conversation(c.conversationId, w.anna)).conversation;
    expect(conv.unreadForAgent).toBe(2);
    expect((await post(`/chat/conversations/${c.conversationId}/read`, w.anna, { upToSeq: conv.lastSeq })).statusCode).toBe(204);
    conv = (await conversation(c.conversationId, w.anna)).conversation;
    expect(conv.unreadForAgent).toBe(0);
    const reply = await post(`/chat/conversations/${c.conversationId}/messages`, w.anna, { id: randomUUID(), body: 'hi' });
    await w.app.inject({ method: 'POST', url: '/widget/read', headers: c.auth, payload: { upToSeq: reply.json<Message>().seq } });
    conv = (await conversation(c.conversationId, w.anna)).conversation;
    expect(conv.customerReadSeq).toBe(reply.json<Message>().seq);
    const stored = (await conversation(c.conversationId)).messages.find((m) => m.id === reply.json<Message>().id)!;
    expect(stored.readAt).toBe(w.clock.now);
  });

  test('a voice call appears in the history; a retried event is one line', async () => {
    const c = await activeChat();
    const eventId = randomUUID();
    for (let i = 0; i < 2; i++) {
      const res = await post('/chat/voice-events', w.anna, { conversationId: c.conversationId, eventId, phase: 'started', remote: '+4930123456' });
      expect(res.statusCode).toBe(200);
    }
    await post('/chat/voice-events', w.anna, { conversationId: c.conversationId, eventId: randomUUID(), phase: 'ended', durationSeconds: 95 });
    const calls = (await conversation(c.conversationId)).messages.filter((m) => m.eventCode?.startsWith('voice'));
    expect(calls.map((m) => m.body)).toEqual(['Call started with +4930123456', 'Call ended after 95 s']);
  });

  test("issue 12 item 10: voice events only from the chat's assigned agent, only while it is open, only as the server words them", async () => {
    const c = await activeChat();
    const voice = (who: Person, payload: Record<string, unknown>) => post('/chat/voice-events', who, { conversationId: c.conversationId, eventId: randomUUID(), ...payload });
    // A teammate, the team's lead and an admin may see the chat but it is not theirs to speak in.
    for (const who of [w.bo, w.lead, w.admin]) expect((await voice(who, { phase: 'started', remote: '+4930123456' })).statusCode).toBe(403);
    // Free text has no way in: not as the far end, not as a body the server would show.
    expect((await voice(w.anna, { phase: 'started', remote: 'Refund approved, log in at https://evil.example' })).statusCode).toBe(400);
    expect((await voice(w.anna, { phase: 'ended', body: 'Your account is suspended' })).statusCode).toBe(400);
    expect((await voice(w.anna, { phase: 'ended', durationSeconds: 95 })).statusCode).toBe(200);
    await post(`/chat/conversations/${c.conversationId}/close`, w.anna);
    expect((await voice(w.anna, { phase: 'started', remote: '+4930123456' })).statusCode).toBe(409);
    const widget = await w.app.inject({ method: 'GET', url: '/widget/conversation', headers: c.auth });
    const lines = widget.json<{ messages: Message[] }>().messages.filter((m) => m.eventCode?.startsWith('voice'));
    expect(lines.map((m) => m.body)).toEqual(['Call ended after 95 s']);
  });
});

describe('close and survey', () => {
  test('the survey lands on the ticket as a comment and a csat tag, and bumps the ticket version for sync', async () => {
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w);
    await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    const ticketId = (await conversation(c.conversationId)).conversation.ticketId;
    const early = await w.app.inject({ method: 'POST', url: '/widget/survey', headers: c.auth, payload: { score: 5 } });
    expect(early.statusCode).toBe(409);
    await post(`/chat/conversations/${c.conversationId}/close`, w.anna);
    const before = await w.db.query<{ version: string }>('select version from tickets where id = $1', [ticketId]);
    const survey = { liked: 'Fast answer', disliked: '<script>alert(1)</script>', improve: '周末也营业', score: 4 };
    const res = await w.app.inject({ method: 'POST', url: '/widget/survey', headers: c.auth, payload: survey });
    expect(res.statusCode).toBe(204);
    const { rows } = await w.db.query<{ version: string; tags: string[]; status: string }>('select version, tags, status from tickets where id = $1', [ticketId]);
    expect(rows[0]!.tags).toContain('csat:4');
    expect(rows[0]!.status).toBe('solved');
    expect(Number(rows[0]!.version)).toBeGreaterThan(Number(before.rows[0]!.version));
    const comments = await w.db.query<{ body: string; kind: string }>('select body, kind from ticket_comments where ticket_id = $1 order by created_at, version', [ticketId]);
    expect(comments.rows.map((r) => r.body.split('\n')[0])).toEqual(['Chat transcript (3 messages)', 'Customer satisfaction survey: 4/5']);
    expect(comments.rows[1]!.body).toBe(
      'Customer satisfaction survey: 4/5\nWhat did you like? Fast answer\nWhat didn\'t you like? <script>alert(1)</script>\nHow can we improve? 周末也营业',
    );
    const twice = await w.app.inject({ method: 'POST', url: '/widget/survey', headers: c.auth, payload: survey });
    expect(twice.statusCode).toBe(409);
  });

  test('the events page replays what an agent may see, in cursor order, and pages by cursor', async () => {
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w);
    await post(`/chat/conversations/${c.conversationId}/accept`, w.anna);
    const all = (await w.app.inject({ method: 'GET', url: '/chat/events?after=0', headers: w.anna.auth })).json<EventPage>();
    const cursors = all.events.map((e) => e.cursor as number);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(all.events.map((e) => e.type)).toContain('offer');
    const zed = (await w.app.inject({ method: 'GET', url: '/chat/events?after=0', headers: w.zed.auth })).json<EventPage>();
    expect(zed.events).toEqual([]);
    const later = (await w.app.inject({ method: 'GET', url: `/chat/events?after=${cursors[2]}`, headers: w.anna.auth })).json<EventPage>();
    expect(later.events.map((e) => e.cursor)).toEqual(cursors.slice(3));
  });
});
