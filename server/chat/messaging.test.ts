import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Message, MessagingInboundResult, MessagingOutbound } from '../../core/wire/chat';
import { createOutbox, verifySignature } from './outbox';
import { type ChatWorld, createProviderWorld, type Posted, type ProviderWorld, setPresence, type Signing } from '../../tests/support/server/chatWorld';

const secret = 'provider-shared-secret-0123456789';

let gw: ProviderWorld;
let w: ChatWorld;
let posted: Posted[];

beforeEach(async () => {
  gw = await createProviderWorld({ id: 'sms-gw', name: 'SMS gateway', secret, callbackUrl: 'https://sms.example/callback', inboundUrl: '/channels/messaging/sms-gw/inbound', okStatus: 200 });
  ({ w, posted } = gw);
});
afterEach(async () => {
  await w.close();
});

const deliver = (body: object, sign?: Signing) => gw.deliver(body, sign);

const inbound = (text: string, messageId: string = randomUUID()) => ({ messageId, from: '+4915112345678', name: 'Jonas', text, language: 'en' });

describe('messaging webhook', () => {
  test('refuses unsigned, wrongly signed and stale deliveries with 401, storing nothing', async () => {
    const unsigned = await deliver(inbound('hi'), { header: null });
    const wrong = await deliver(inbound('hi'), { secret: 'another-secret-0123456789' });
    const stale = await deliver(inbound('hi'), { at: w.clock.now - 6 * 60_000 });
    const garbage = await deliver(inbound('hi'), { header: 't=abc,v1=zz' });
    for (const res of [unsigned, wrong, stale, garbage]) expect(res.statusCode).toBe(401);
    expect(stale.json<{ error: { message: string } }>().error.message).toMatch(/5 minute/);
    const { rows } = await w.db.query<{ n: number }>('select count(*)::int as n from chat_messages');
    expect(rows[0]!.n).toBe(0);
  });

  test('a signed delivery opens a conversation; a replayed delivery does not duplicate the message', async () => {
    const body = inbound('Where is my order?', 'prov-msg-1');
    const first = await deliver(body);
    expect(first.statusCode).toBe(200);
    const again = await deliver(body);
    expect(again.json<MessagingInboundResult>()).toEqual({ ...first.json<MessagingInboundResult>(), duplicate: true });
    const next = await deliver(inbound('Hello?', 'prov-msg-2'));
    expect(next.json<MessagingInboundResult>().conversationId).toBe(first.json<MessagingInboundResult>().conversationId);
    const { rows } = await w.db.query<{ body: string }>("select body from chat_messages where author = 'customer' order by seq");
    expect(rows.map((r) => r.body)).toEqual(['Where is my order?', 'Hello?']);
    const ticket = await w.db.query<{ channel: string }>('select t.channel from conversations c join tickets t on t.id = c.ticket_id');
    expect(ticket.rows[0]!.channel).toBe('messaging');
  });

  test("an agent reply is posted, signed, to the provider's callback; a failed post stays in the outbox and is retried", async () => {
    await setPresence(w, w.anna, 'available');
    const { conversationId } = (await deliver(inbound('Refund please'))).json<MessagingInboundResult>();
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/accept`, headers: w.anna.auth });
    gw.failNext(2);
    const reply = await w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/messages`, headers: w.anna.auth, payload: { id: randomUUID(), body: 'Done, 3-5 days.' } });
    const message = reply.json<Message>();
    await w.chat.outbox.runOnce();
    expect(posted.length).toBeGreaterThanOrEqual(1);
    let row = (await w.db.query<{ attempts: number; delivered_at: Date | null; last_error: string }>('select * from messaging_outbox')).rows[0]!;
    expect(row.delivered_at).toBeNull();
    expect(row.last_error).toBe('HTTP 503');
    // Not due yet: nothing is posted.
    const before = posted.length;
    await w.chat.outbox.runOnce();
    expect(posted.length).toBe(before);
    for (let i = 0; i < 3 && row.delivered_at === null; i++) {
      w.clock.now += 10 * 60_000;
      await w.chat.outbox.runOnce();
      row = (await w.db.query<{ attempts: number; delivered_at: Date | null; last_error: string }>('select * from messaging_outbox')).rows[0]!;
    }
    expect(row.delivered_at).not.toBeNull();
    expect(row.attempts).toBe(3);
    const last = posted[posted.length - 1]!;
    expect(last.url).toBe('https://sms.example/callback');
    expect(JSON.parse(last.body) as MessagingOutbound).toEqual({ messageId: message.id, to: '+4915112345678', text: 'Done, 3-5 days.', conversationId });
    // The provider can check the signature exactly as we check theirs.
    expect(verifySignature(secret, last.signature, last.body, w.clock.now)).toEqual({ ok: true });
    // Internal notes never go out.
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/messages`, headers: w.anna.auth, payload: { id: randomUUID(), kind: 'note', body: 'internal' } });
    const { rows } = await w.db.query<{ n: number }>('select count(*)::int as n from messaging_outbox');
    expect(rows[0]!.n).toBe(1);
  });

  test('two server instances running their outbox workers at once post each reply once', async () => {
    await setPresence(w, w.anna, 'available');
    const { conversationId } = (await deliver(inbound('Refund please'))).json<MessagingInboundResult>();
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/accept`, headers: w.anna.auth });
    // Held while the first worker is mid-post, so the second runs while the first has not answered yet.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const bodies: string[] = [];
    const slowPost = async (_url: string, init: { body: string }) => {
      bodies.push(init.body);
      await held;
      return { ok: true, status: 200 };
    };
    const [a, b] = [createOutbox(w.db, { now: () => w.clock.now, post: slowPost }), createOutbox(w.db, { now: () => w.clock.now, post: slowPost })];
    // This world's own worker only ever fails: the replies wait for their retry, due for both workers at once.
    gw.failNext(1_000);
    for (const text of ['one', 'two', 'three']) {
      await w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/messages`, headers: w.anna.auth, payload: { id: randomUUID(), body: text } });
    }
    // Its kicked runs settle first (each reply kicks it), so none of them runs after the clock moves.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await w.chat.outbox.runOnce();
    }
    const failedFirst = await w.db.query<{ n: number }>('select count(*)::int as n from messaging_outbox where attempts = 1 and delivered_at is null');
    expect(failedFirst.rows[0]!.n).toBe(3);
    w.clock.now += 10 * 60_000;
    const first = a.runOnce();
    await new Promise((r) => setTimeout(r, 50));
    const second = b.runOnce();
    await new Promise((r) => setTimeout(r, 50));
    release();
    const delivered = (await first) + (await second);
    expect(bodies).toHaveLength(3);
    expect(delivered).toBe(3);
    expect(bodies.map((x) => (JSON.parse(x) as MessagingOutbound).text).sort()).toEqual(['one', 'three', 'two']);
  });
});
