import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { safeFileName } from '../../core/chat/safeText';
import { isWellFormed, toWellFormed } from '../../core/chat/wellFormed';
import { hostilePayloads } from '../../tests/support/core/hostilePayloads';
import { chatLimits, type Message } from '../../core/wire/chat';
import { type ChatWorld, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';
import { sniffMime } from './sniff';

let w: ChatWorld;
beforeAll(async () => {
  w = await createChatWorld();
  await setPresence(w, w.anna, 'available');
});
afterAll(async () => {
  await w?.close();
});

/**
 * PGlite decodes text results with a BOM-stripping TextDecoder, so a value that starts with U+FEFF reads
 * back without it (PostgreSQL itself and node-pg keep it). Everything else must read back exactly.
 */
const asStored = (text: string) => text.replace(/^\uFEFF/, '');

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('widget API', () => {
  test('hostile payloads as customer messages are stored verbatim or refused with a clear 4xx, never a crash', async () => {
    const c = await startChat(w, { name: 'Hostile', language: 'en' });
    for (const payload of hostilePayloads) {
      const res = await w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body: payload.text } });
      if (res.statusCode === 200) {
        expect(res.json<Message>().body, payload.name).toBe(asStored(payload.text));
      } else {
        expect([400, 413], payload.name).toContain(res.statusCode);
        expect(res.json<{ error: { message: string } }>().error.message, payload.name).toMatch(/at most 4000|cannot be empty|NUL|surrogates|too large/);
      }
    }
    const { rows } = await w.db.query<{ n: number }>("select count(*)::int as n from chat_messages where conversation_id = $1 and author = 'customer'", [c.conversationId]);
    const fits = hostilePayloads.filter((p) => p.text.length <= chatLimits.messageBody && p.text.trim() !== '' && !p.text.includes('\u0000') && isWellFormed(p.text));
    expect(rows[0]!.n).toBe(fits.length);
  });

  test('hostile customer names are stored verbatim or refused', async () => {
    for (const payload of hostilePayloads.filter((p) => p.text.length <= 1000)) {
      const res = await w.app.inject({ method: 'POST', url: '/widget/sessions', payload: { name: payload.text, language: 'en' } });
      if (res.statusCode !== 200) {
        expect(res.statusCode, payload.name).toBe(400);
        continue;
      }
      const { rows } = await w.db.query<{ name: string }>(
        'select cu.name from conversations c join customers cu on cu.id = c.customer_id where c.id = $1',
        [res.json<{ conversationId: string }>().conversationId],
      );
      expect(rows[0]!.name, payload.name).toBe(payload.text.trim() ? asStored(payload.text) : 'Web visitor');
    }
  });

  test('attachments: hostile names are made safe, the type is checked by magic bytes, over 5 MB is refused', async () => {
    const c = await startChat(w, { name: 'Files', language: 'en' });
    const send = (name: string, mime: string, data: Buffer) =>
      w.app.inject({ method: 'POST', url: '/widget/attachments', headers: c.auth, payload: { id: randomUUID(), name, mime, dataBase64: data.toString('base64') } });
    for (const payload of hostilePayloads.filter((p) => p.text.length <= 1000)) {
      const res = await send(payload.text, 'image/png', png);
      expect(res.statusCode, payload.name).toBe(200);
      const message = res.json<Message>();
      expect(message.attachment?.name, payload.name).toBe(safeFileName(toWellFormed(payload.text), { maxLength: chatLimits.fileName }));
      expect(message.kind).toBe('attachment');
    }
    const lying = await send('photo.png', 'image/png', Buffer.from('MZ\x90\x00 this is an exe', 'latin1'));
    expect(lying.statusCode).toBe(415);
    const mismatch = await send('doc.pdf', 'application/pdf', png);
    expect(mismatch.statusCode).toBe(415);
    const html = await send('x.html', 'text/html', Buffer.from('<script>alert(1)</script>'));
    expect(html.statusCode).toBe(400);
    const big = Buffer.concat([png, Buffer.alloc(chatLimits.attachmentBytes)]);
    const tooBig = await send('big.png', 'image/png', big);
    expect([400, 413]).toContain(tooBig.statusCode);
    expect(tooBig.json<{ error: { message: string } }>().error.message).toMatch(/5 MB/);

    const ok = (await send('ok.txt', 'text/plain', Buffer.from('order 42, 谢谢'))).json<Message>();
    const file = await w.app.inject({ method: 'GET', url: ok.attachment!.url, headers: c.auth });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(file.body).toBe('order 42, 谢谢');
    const other = await startChat(w, { name: 'Other', language: 'en' });
    expect((await w.app.inject({ method: 'GET', url: ok.attachment!.url, headers: other.auth })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: ok.attachment!.url, headers: w.zed.auth })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: ok.attachment!.url, headers: w.bo.auth })).statusCode).toBe(200);
  });

  test('a widget session reaches only its own conversation; a bad token is 401', async () => {
    expect((await w.app.inject({ method: 'GET', url: '/widget/conversation', headers: { authorization: 'Bearer not-a-session-token' } })).statusCode).toBe(401);
    const refused = await w.app.inject({ method: 'POST', url: '/widget/sessions', payload: { language: 'fr' } });
    expect(refused.statusCode).toBe(400);
    const c = await startChat(w, { language: 'zh-TW' });
    const view = await w.app.inject({ method: 'GET', url: '/widget/conversation', headers: c.auth });
    expect(view.json<{ conversationId: string; state: string }>().conversationId).toBe(c.conversationId);
  });

  test('the customer can end the chat; writing after that is refused', async () => {
    const c = await startChat(w, { name: 'Bye', language: 'en' });
    expect((await w.app.inject({ method: 'POST', url: '/widget/close', headers: c.auth })).json()).toEqual({ state: 'closed' });
    const late = await w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body: 'one more thing' } });
    expect(late.statusCode).toBe(409);
  });
});

describe('widget sessions', () => {
  test('one address starting chat after chat is refused with 429 and Retry-After once over its limit', async () => {
    const limited = await createChatWorld({}, { widgetChatsPerAddress: 3 });
    try {
      const start = () => limited.app.inject({ method: 'POST', url: '/widget/sessions', payload: { language: 'en' } });
      for (let i = 0; i < 3; i++) expect((await start()).statusCode).toBe(200);
      const refused = await start();
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      limited.clock.now += 10 * 60_000;
      expect((await start()).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('widget page', () => {
  test('is served with a strict CSP and its script builds', async () => {
    const page = await w.app.inject({ method: 'GET', url: '/widget/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.body).toContain('<script src="/widget/widget.js"');
    const script = await w.app.inject({ method: 'GET', url: '/widget/widget.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).not.toContain('innerHTML');
    const css = await w.app.inject({ method: 'GET', url: '/widget/widget.css' });
    expect(css.statusCode).toBe(200);
  });
});

describe('sniffMime', () => {
  test('knows the allowed types by their first bytes and refuses the rest', () => {
    expect(sniffMime(png)).toBe('image/png');
    expect(sniffMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from('GIF89a...'))).toBe('image/gif');
    expect(sniffMime(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffMime(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffMime(Buffer.from('plain text 中文'))).toBe('text/plain');
    expect(sniffMime(Buffer.from([0x4d, 0x5a, 0x00, 0x01]))).toBeNull();
    expect(sniffMime(Buffer.from([0xc3, 0x28]))).toBeNull();
  });
});
