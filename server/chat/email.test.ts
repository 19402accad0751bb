import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ConversationDetail, Message } from '../../core/wire/chat';
import { type EmailInbound, type EmailInboundResult, type EmailOutbound, replySubject } from '../../core/wire/chatEmail';
import { emailBody, keptApartNote } from './email';
import { signatureValue, verifySignature } from './outbox';
import { type ChatWorld, createProviderWorld, type Posted, type ProviderWorld, setPresence, type Signing } from '../../tests/support/server/chatWorld';

const secret = 'mail-gateway-shared-secret-01234';

let gw: ProviderWorld;
let w: ChatWorld;
let posted: Posted[];

beforeEach(async () => {
  gw = await createProviderWorld({ id: 'mail-gw', name: 'Mail gateway', secret, callbackUrl: 'https://mail.example/send', inboundUrl: '/channels/email/mail-gw/inbound', okStatus: 202 });
  ({ w, posted } = gw);
});
afterEach(async () => {
  await w.close();
});

const deliver = (body: EmailInbound, sign?: Signing) => gw.deliver(body, sign);

const email = (over: Partial<EmailInbound> = {}): EmailInbound => ({
  messageId: `<${randomUUID()}@mail.customer.example>`, from: 'Lena.Fischer@Customer.example', fromName: 'Lena Fischer', subject: 'Order 1042 is late', text: 'Where is my parcel?', language: 'en', ...over,
});
const customerBodies = async () => (await w.db.query<{ body: string }>("select body from chat_messages where author = 'customer' order by created_at, seq")).rows.map((r) => r.body);

describe('email channel', () => {
  test('refuses unsigned, wrongly signed and stale emails with 401, storing nothing', async () => {
    for (const sign of [{ header: null }, { secret: 'not-the-gateway-secret-0123' }, { at: w.clock.now - 6 * 60_000 }, { header: 't=1,v1=00' }]) {
      expect((await deliver(email(), sign)).statusCode).toBe(401);
    }
    expect((await w.db.query<{ n: number }>('select count(*)::int as n from chat_messages')).rows[0]!.n).toBe(0);
  });

  test('a redelivered email (same Message-ID) is stored once; the subject is on the conversation and the ticket', async () => {
    const first = email();
    const a = await deliver(first);
    expect(a.statusCode, a.body).toBe(200);
    const b = await deliver(first);
    expect(b.json<EmailInboundResult>()).toEqual({ ...a.json<EmailInboundResult>(), duplicate: true });
    expect(await customerBodies()).toEqual(['Where is my parcel?']);
    const { rows } = await w.db.query<{ subject: string; channel: string; ticket_subject: string; external_address: string }>(
      'select c.subject, c.channel, t.subject as ticket_subject, c.external_address from conversations c join tickets t on t.id = c.ticket_id',
    );
    expect(rows).toEqual([{ subject: 'Order 1042 is late', channel: 'email', ticket_subject: 'Order 1042 is late', external_address: 'lena.fischer@customer.example' }]);
  });

  test('threads by In-Reply-To or References, then by the sender; another sender gets a conversation of their own', async () => {
    const first = email();
    const { conversationId } = (await deliver(first)).json<EmailInboundResult>();
    const byReply = await deliver(email({ from: 'LENA.FISCHER@customer.example', inReplyTo: first.messageId, subject: 'Re: Order 1042 is late', text: 'Any news?' }));
    expect(byReply.json<EmailInboundResult>().conversationId).toBe(conversationId);
    const byRefs = await deliver(email({ references: ['<unknown@x>', first.messageId], text: 'Also me' }));
    expect(byRefs.json<EmailInboundResult>().conversationId).toBe(conversationId);
    const bySender = await deliver(email({ subject: 'Another thing', text: 'And my invoice?' }));
    expect(bySender.json<EmailInboundResult>().conversationId).toBe(conversationId);
    const stranger = await deliver(email({ from: 'someone@else.example', text: 'Hello' }));
    expect(stranger.json<EmailInboundResult>().conversationId).not.toBe(conversationId);
  });

  test('issue 12 item 11 (email threading): a Message-ID threads only for the same gateway and sender; anyone else starts a conversation marked as related', async () => {
    const first = email();
    const { conversationId } = (await deliver(first)).json<EmailInboundResult>();
    // A second gateway: a Message-ID known from one gateway must not open the door from another.
    await w.db.query("insert into messaging_providers (id, name, secret, callback_url) values ('mail-gw-2', 'Other gateway', $1, 'https://mail2.example/send')", [secret]);
    const viaOtherGateway = (body: EmailInbound) => {
      const raw = JSON.stringify(body);
      const header = signatureValue(secret, Math.floor(w.clock.now / 1000), raw);
      return w.app.inject({ method: 'POST', url: '/channels/email/mail-gw-2/inbound', headers: { 'content-type': 'application/json', 'x-switchboard-signature': header }, payload: raw });
    };
    const attempts = [
      await deliver(email({ from: 'mallory@evil.example', fromName: 'Lena Fischer', inReplyTo: first.messageId, text: 'Please refund to IBAN XX00' })),
      await deliver(email({ from: 'mallory@evil.example', references: [first.messageId], text: 'By References' })),
      await viaOtherGateway(email({ inReplyTo: first.messageId, text: 'Same address, other gateway' })),
    ];
    const landed = attempts.map((res) => {
      expect(res.statusCode, res.body).toBe(200);
      return res.json<EmailInboundResult>().conversationId;
    });
    expect(landed).not.toContain(conversationId);
    // Lena's conversation holds only Lena's email.
    const lenas = await w.db.query<{ body: string }>("select body from chat_messages where conversation_id = $1 and author = 'customer'", [conversationId]);
    expect(lenas.rows.map((r) => r.body)).toEqual(['Where is my parcel?']);
    // Each new conversation remembers the one it named and tells the agent in an internal note.
    for (const id of new Set(landed)) {
      const { rows } = await w.db.query<{ related_conversation_id: string | null }>('select related_conversation_id from conversations where id = $1', [id]);
      expect(rows[0]!.related_conversation_id).toBe(conversationId);
      const notes = await w.db.query<{ body: string; author: string }>("select body, author from chat_messages where conversation_id = $1 and kind = 'note'", [id]);
      expect(notes.rows.map((r) => [r.author, r.body])).toContainEqual(['system', keptApartNote]);
    }
    // Mallory's second email continues Mallory's own conversation (same sender, same gateway).
    expect(landed[1]).toBe(landed[0]);
    expect(landed[2]).not.toBe(landed[0]);
  });

  test('an HTML-only email becomes plain text; markup never reaches the conversation', async () => {
    const html = '<html><body><p>Hi <b>team</b>,</p><script>alert(1)</script><img src=x onerror="alert(2)"><p><a href="javascript:alert(3)">track</a> &lt;b&gt;</p></body></html>';
    await deliver(email({ text: undefined, html }));
    expect(await customerBodies()).toEqual(['Hi team,\ntrack <b>']);
    expect(await emailBody({ text: 'x'.repeat(10_000) })).toMatch(/shortened/);
    expect(await emailBody({ text: await emailBody({}) })).toBe('(empty email)');
  });

  test("an agent's reply goes to the gateway threaded under the customer's email, retried until delivered, never twice", async () => {
    await setPresence(w, w.anna, 'available');
    const first = email();
    const { conversationId } = (await deliver(first)).json<EmailInboundResult>();
    expect((await w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/accept`, headers: w.anna.auth })).statusCode).toBe(200);
    gw.failNext(1);
    const id = randomUUID();
    const send = () => w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/messages`, headers: w.anna.auth, payload: { id, body: 'It ships today.' } });
    const message = (await send()).json<Message>();
    await send();
    await w.chat.outbox.runOnce();
    w.clock.now += 10 * 60_000;
    await w.chat.outbox.runOnce();
    await w.chat.outbox.runOnce();
    expect(posted).toHaveLength(2);
    const out = JSON.parse(posted[1]!.body) as EmailOutbound;
    expect(out).toEqual({
      channel: 'email', messageId: message.id, conversationId, to: 'lena.fischer@customer.example', subject: 'Re: Order 1042 is late', text: 'It ships today.',
      emailMessageId: `<${message.id}@mail-gw.switchboard>`, inReplyTo: first.messageId, references: [first.messageId],
    });
    expect(posted[1]!.url).toBe('https://mail.example/send');
    expect(verifySignature(secret, posted[1]!.signature, posted[1]!.body, w.clock.now)).toEqual({ ok: true });

    // The customer answers our reply: it threads into the same conversation by our Message-ID.
    const answer = await deliver(email({ inReplyTo: out.emailMessageId, text: 'Thanks!' }));
    expect(answer.json<EmailInboundResult>().conversationId).toBe(conversationId);
    const detail = (await w.app.inject({ method: 'GET', url: `/chat/conversations/${conversationId}`, headers: w.anna.auth })).json<ConversationDetail>();
    expect(detail.conversation.subject).toBe('Order 1042 is late');
    expect(detail.messages.filter((m) => m.kind === 'text').map((m) => m.body)).toEqual(['Where is my parcel?', 'It ships today.', 'Thanks!']);
  });

  test('reply subjects carry one "Re:"', () => {
    expect(['Order late', 'Re: Order late', 'RE: Aw: re:Order late', '回复：订单', ''].map(replySubject)).toEqual(['Re: Order late', 'Re: Order late', 'Re: Order late', 'Re: 订单', 'Re: …']);
  });
});
