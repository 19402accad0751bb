import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Message, chatLimits } from '../../core/wire/chat';
import type { WidgetConversation } from '../../core/wire/chatWidget';
import { type ChatWorld, type Customer, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';

let w: ChatWorld;
let c: Customer;
beforeAll(async () => {
  w = await createChatWorld();
  await setPresence(w, w.anna, 'available');
  c = await startChat(w, { name: 'Files', language: 'en' });
  const accepted = await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: w.anna.auth });
  if (accepted.statusCode !== 200) throw new Error(`accept: ${accepted.statusCode} ${accepted.body}`);
});
afterAll(async () => {
  await w?.close();
});

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const upload = (who: { auth: Record<string, string> }, body: Record<string, unknown>, conversationId = c.conversationId) =>
  w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/attachments`, headers: who.auth, payload: { id: randomUUID(), ...body } });

describe('agent attachments', () => {
  test('the assignee sends an image; the customer gets it, the file comes back with its verified type, inline and nosniff', async () => {
    const res = await upload(w.anna, { name: '../../etc/screen shot.png', mime: 'image/png', dataBase64: png.toString('base64') });
    expect(res.statusCode).toBe(200);
    const message = res.json<Message>();
    expect(message).toMatchObject({ kind: 'attachment', author: 'agent', authorId: w.anna.id });
    expect(message.attachment).toMatchObject({ mime: 'image/png', size: png.length });
    expect(message.attachment!.name).not.toContain('/');

    const seen = await w.app.inject({ method: 'GET', url: '/widget/conversation', headers: c.auth });
    expect(seen.json<WidgetConversation>().messages.map((m) => m.id)).toContain(message.id);

    const file = await w.app.inject({ method: 'GET', url: `/chat/attachments/${message.attachment!.id}`, headers: w.bo.auth });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toMatch(/^inline;/);
    expect(file.rawPayload.equals(png)).toBe(true);
  });

  test('a text file downloads rather than displays', async () => {
    const res = await upload(w.anna, { name: 'notes.txt', mime: 'text/plain', dataBase64: Buffer.from('hello').toString('base64') });
    const file = await w.app.inject({ method: 'GET', url: `/chat/attachments/${res.json<Message>().attachment!.id}`, headers: w.anna.auth });
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
  });

  test('a type that is not allowed, or content that contradicts the declared type, is refused with 415', async () => {
    expect((await upload(w.anna, { name: 'x.png', mime: 'image/png', dataBase64: Buffer.from('%PDF-1.7').toString('base64') })).statusCode).toBe(415);
    expect((await upload(w.anna, { name: 'x.bin', mime: 'image/png', dataBase64: Buffer.from([0, 1, 2, 3]).toString('base64') })).statusCode).toBe(415);
    // A mime outside the allowed list fails the request schema before any bytes are looked at.
    expect((await upload(w.anna, { name: 'x.svg', mime: 'image/svg+xml', dataBase64: Buffer.from('<svg/>').toString('base64') })).statusCode).toBe(400);
  });

  test('over 5 MB is refused with 413', async () => {
    const big = Buffer.concat([png, Buffer.alloc(chatLimits.attachmentBytes)]);
    const res = await upload(w.anna, { name: 'big.png', mime: 'image/png', dataBase64: big.toString('base64') });
    expect(res.statusCode).toBe(413);
  });

  test('outsiders cannot send or fetch: another team 404, a teammate who is not the assignee 403', async () => {
    const body = { name: 'x.png', mime: 'image/png', dataBase64: png.toString('base64') };
    expect((await upload(w.zed, body)).statusCode).toBe(404);
    expect((await upload(w.bo, body)).statusCode).toBe(403);
    expect((await upload(w.lead, body)).statusCode).toBe(200);
    const sent = (await upload(w.anna, body)).json<Message>();
    expect((await w.app.inject({ method: 'GET', url: `/chat/attachments/${sent.attachment!.id}`, headers: w.zed.auth })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: `/chat/attachments/${sent.attachment!.id}` })).statusCode).toBe(401);
  });

  test('sending the same message id again returns the stored message and stores one file', async () => {
    const id = randomUUID();
    const body = { id, name: 'again.png', mime: 'image/png', dataBase64: png.toString('base64') };
    const first = await upload(w.anna, body);
    const second = await upload(w.anna, body);
    expect(second.statusCode).toBe(200);
    expect(second.json<Message>()).toEqual(first.json<Message>());
    const { rows } = await w.db.query<{ n: number }>('select count(*)::int as n from chat_messages where id = $1', [id]);
    expect(rows[0]!.n).toBe(1);
  });
});
