import { randomBytes, randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServerConfigInput } from '../config';
import { type ChatWorld, createChatWorld, startChat } from '../../tests/support/server/chatWorld';
import { quotaNotice, translator } from './client/messages';
import { addressKey } from './quotas';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const pngOf = (bytes: number) => Buffer.concat([png, Buffer.alloc(Math.max(0, bytes - png.length), 7)]);

type Refusal = { error: { code: string; message: string } };

async function counts(w: ChatWorld, conversationId?: string) {
  const one = async (sql: string, params: unknown[] = []) => (await w.db.query<{ n: number }>(sql, params)).rows[0]!.n;
  const mine = conversationId ? ' and conversation_id = $1' : '';
  const params = conversationId ? [conversationId] : [];
  return {
    messages: await one(`select count(*)::int as n from chat_messages where author = 'customer'${mine}`, params),
    files: await one(`select count(*)::int as n from chat_attachments where true${mine}`, params),
    parts: await one('select count(*)::int as n from chat_attachment_parts'),
    conversations: await one('select count(*)::int as n from conversations'),
  };
}

const limited = (config: Partial<ServerConfigInput>) => createChatWorld({}, config);

describe('issue 12 item 6 (widget quotas)', () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = await limited({
      widgetMessagesPerSession: 3,
      widgetMessagesPerAddress: 5,
      widgetFilesPerSession: 2,
      widgetFilesPerAddress: 3,
      widgetFileBytesPerSession: 3000,
      widgetFileBytesPerAddress: 1_000_000,
      widgetChatsPerAddress: 1000,
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const say = (auth: Record<string, string>, body: string, id = randomUUID(), remoteAddress = '127.0.0.1') =>
    w.app.inject({ method: 'POST', url: '/widget/messages', headers: auth, payload: { id, body }, remoteAddress });
  const upload = (auth: Record<string, string>, data: Buffer, remoteAddress = '127.0.0.1') =>
    w.app.inject({ method: 'POST', url: '/widget/attachments', headers: auth, payload: { id: randomUUID(), name: 'a.png', mime: 'image/png', dataBase64: data.toString('base64') }, remoteAddress });

  test('issue 12 item 6 (widget quotas): messages over the session quota get 429 quota-messages with Retry-After; nothing is stored; a retry of a stored one is not charged', async () => {
    const c = await startChat(w, { name: 'Chatty', language: 'en' }, '10.6.0.1');
    const first = randomUUID();
    expect((await say(c.auth, 'x'.repeat(4000), first, '10.6.0.1')).statusCode).toBe(200);
    expect((await say(c.auth, 'x'.repeat(4000), first, '10.6.0.1')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await say(c.auth, 'x'.repeat(4000), randomUUID(), '10.6.0.1')).statusCode).toBe(200);
    const before = await counts(w, c.conversationId);
    const refused = await say(c.auth, 'one more', randomUUID(), '10.6.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json<Refusal>().error.code).toBe('quota-messages');
    expect(refused.json<Refusal>().error.message).toMatch(/in this chat/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await counts(w, c.conversationId)).toEqual(before);
    expect(before.messages).toBe(3);
    w.clock.now += 10 * 60_000;
    expect((await say(c.auth, 'later', randomUUID(), '10.6.0.1')).statusCode).toBe(200);
  });

  test('issue 12 item 6 (widget quotas): the per-address message limit holds across sessions; another address is not affected', async () => {
    const sessions = await Promise.all([1, 2, 3].map((i) => startChat(w, { name: `Spray ${i}`, language: 'en' }, '10.6.1.1')));
    let accepted = 0;
    for (const c of sessions) for (let i = 0; i < 2; i++) if ((await say(c.auth, `hello ${i}`, randomUUID(), '10.6.1.1')).statusCode === 200) accepted++;
    expect(accepted).toBe(5);
    const fourth = await startChat(w, { name: 'Spray 4', language: 'en' }, '10.6.1.1');
    const before = await counts(w, fourth.conversationId);
    const refused = await say(fourth.auth, 'still me', randomUUID(), '10.6.1.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json<Refusal>().error).toMatchObject({ code: 'quota-messages', message: expect.stringMatching(/from this address/) });
    expect(await counts(w, fourth.conversationId)).toEqual(before);
    // The same session from elsewhere is charged to that address (and its own session quota).
    expect((await say(fourth.auth, 'from my phone', randomUUID(), '10.6.1.2')).statusCode).toBe(200);
  });

  test('issue 12 item 6 (widget quotas): files over the count get 429 quota-files, over the bytes 413 quota-file-bytes; nothing is stored on refusal', async () => {
    const c = await startChat(w, { name: 'Files', language: 'en' }, '10.6.2.1');
    expect((await upload(c.auth, pngOf(1000), '10.6.2.1')).statusCode).toBe(200);
    let before = await counts(w, c.conversationId);
    const tooMuch = await upload(c.auth, pngOf(2500), '10.6.2.1');
    expect(tooMuch.statusCode).toBe(413);
    expect(tooMuch.json<Refusal>().error.code).toBe('quota-file-bytes');
    expect(Number(tooMuch.headers['retry-after'])).toBeGreaterThan(0);
    expect(await counts(w, c.conversationId)).toEqual(before);
    expect((await upload(c.auth, pngOf(1000), '10.6.2.1')).statusCode).toBe(200);
    before = await counts(w, c.conversationId);
    expect(before.files).toBe(2);
    const tooMany = await upload(c.auth, pngOf(10), '10.6.2.1');
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.json<Refusal>().error.code).toBe('quota-files');
    expect(Number(tooMany.headers['retry-after'])).toBeGreaterThan(0);
    expect(await counts(w, c.conversationId)).toEqual(before);
  });

  test('issue 12 item 6 (widget quotas): the per-address file limit holds across sessions; a refused file (415) costs nothing', async () => {
    const a = await startChat(w, { name: 'A', language: 'en' }, '10.6.3.1');
    const b = await startChat(w, { name: 'B', language: 'en' }, '10.6.3.1');
    expect((await upload(a.auth, Buffer.from('MZ not a png'), '10.6.3.1')).statusCode).toBe(415);
    expect((await upload(a.auth, pngOf(100), '10.6.3.1')).statusCode).toBe(200);
    expect((await upload(a.auth, pngOf(100), '10.6.3.1')).statusCode).toBe(200);
    expect((await upload(b.auth, pngOf(100), '10.6.3.1')).statusCode).toBe(200);
    const before = await counts(w, b.conversationId);
    const refused = await upload(b.auth, pngOf(100), '10.6.3.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json<Refusal>().error).toMatchObject({ code: 'quota-files', message: expect.stringMatching(/from this address/) });
    expect(await counts(w, b.conversationId)).toEqual(before);
  });
});

describe('issue 12 item 6 (widget quotas): new chats', () => {
  test('issue 12 item 6 (widget quotas): new chats over the address quota get 429 quota-chats; nothing is stored; an IPv6 /64 is one address', async () => {
    const w = await limited({ widgetChatsPerAddress: 2 });
    try {
      const start = (remoteAddress: string) => w.app.inject({ method: 'POST', url: '/widget/sessions', payload: { language: 'en' }, remoteAddress });
      expect((await start('2001:db8:1:2::1')).statusCode).toBe(200);
      expect((await start('2001:db8:1:2:ffff::9')).statusCode).toBe(200);
      const before = await counts(w);
      const refused = await start('2001:db8:1:2::3');
      expect(refused.statusCode).toBe(429);
      expect(refused.json<Refusal>().error.code).toBe('quota-chats');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await counts(w)).toEqual(before);
      expect((await start('2001:db8:1:3::1')).statusCode).toBe(200);
    } finally {
      await w.close();
    }
  });

  test('addresses are counted as IPv4, IPv4-mapped or IPv6 /64', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('issue 12 item 6 (widget quotas): the widget shows a refusal in its language', () => {
  test('issue 12 item 6 (widget quotas): each quota code reads as a polite line with the wait, in en, zh-CN and zh-TW', () => {
    expect(quotaNotice(translator('en'), 'quota-messages', 42)).toBe(
      'You have sent many messages in a short time. Please wait 42 seconds before sending more; your message is still in the box.',
    );
    expect(quotaNotice(translator('en'), 'quota-file-bytes', 600)).toMatch(/about 10 minutes/);
    expect(quotaNotice(translator('zh-CN'), 'quota-files', 120)).toBe('您发送的文件已达到目前的上限，请约 2 分钟后再试。');
    expect(quotaNotice(translator('zh-TW'), 'quota-chats', 30)).toBe('您所在的網路剛剛發起了較多對話，請30 秒後再試。');
  });
});

/**
 * Polls /health from its own thread (its own event loop) while it uploads one file, so a stalled server
 * shows as slow answers instead of as a poller that did not get to ask.
 */
const pollerSource = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { url, token, body } = workerData;
  let done = false;
  const started = performance.now();
  const upload = fetch(url + '/widget/attachments', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body })
    .then(async (r) => { done = true; return { status: r.status, ms: performance.now() - started }; });
  const health = [];
  while (!done) {
    const t0 = performance.now();
    const r = await fetch(url + '/health');
    await r.arrayBuffer();
    health.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  parentPort.postMessage({ upload: await upload, health });
})().catch((err) => parentPort.postMessage({ error: String(err) }));
`;

describe('issue 12 item 6 (widget quotas): uploads do not stall other requests', () => {
  test('issue 12 item 6 (widget quotas): /health keeps answering, each within 1 s, while a 5 MiB upload is processed (embedded database, real HTTP)', async () => {
    const w = await createChatWorld();
    try {
      const url = await w.app.listen({ host: '127.0.0.1', port: 0 });
      const c = await startChat(w, { name: 'Big file', language: 'en' });
      const data = Buffer.concat([png, randomBytes(5 * 1024 * 1024 - png.length)]);
      const body = JSON.stringify({ id: randomUUID(), name: 'big.png', mime: 'image/png', dataBase64: data.toString('base64') });
      const worker = new Worker(pollerSource, { eval: true, workerData: { url, token: c.token, body } });
      const result = await new Promise<{ upload?: { status: number; ms: number }; health?: number[]; error?: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      expect(result.error).toBeUndefined();
      const health = result.health!;
      const worst = Math.max(...health);
      console.log(`5 MiB upload answered ${result.upload!.status} in ${Math.round(result.upload!.ms)} ms; /health answered ${health.length} times, worst ${Math.round(worst)} ms`);
      expect(result.upload!.status).toBe(200);
      // Before: the upload held the event loop (and PGlite) for its whole write, so /health answered about twice, after seconds.
      expect(health.length).toBeGreaterThanOrEqual(5);
      expect(worst).toBeLessThan(1000);
      const stored = await w.app.inject({ method: 'GET', url: `/widget/attachments/${JSON.parse(body).id as string}`, headers: c.auth });
      expect(stored.rawPayload.equals(data)).toBe(true);
    } finally {
      await w.close();
    }
  }, 60_000);
});
