import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { ConversationMood, MoodAlertList, MoodSocketMessage } from '../../core/wire/mood';
import { type ChatWorld, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';
import { type Person, addPerson } from '../../tests/support/server/syncWorld';
import { triggerOf } from './record';

let w: ChatWorld;
let leadB: Person;
beforeEach(async () => {
  w = await createChatWorld();
  leadB = await addPerson(w.db, 'leadb', 'lead', w.teamB);
});
afterEach(async () => {
  await w.close();
});

async function moodSocket(who: Person): Promise<{ got: MoodSocketMessage[]; close(): void }> {
  const address = w.app.server.address();
  const socket = new WebSocket(`ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/mood/socket`);
  const got: MoodSocketMessage[] = [];
  socket.on('message', (d) => got.push(JSON.parse(d.toString()) as MoodSocketMessage));
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'auth', token: who.token }));
  await expect.poll(() => got.some((m) => m.type === 'ready'), { timeout: 10_000 }).toBe(true);
  return { got, close: () => socket.close() };
}
const alerts = (got: MoodSocketMessage[]) => got.flatMap((m) => (m.type === 'alert' ? [m.alert] : []));
const say = (c: { auth: Record<string, string> }, body: string) => w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body } });

describe('mood alerts', () => {
  test("a Chinese customer growing angry: the team's lead gets one alert with the last messages (insults masked); another team's lead gets nothing", async () => {
    await w.app.listen({ host: '127.0.0.1', port: 0 });
    await setPresence(w, w.zed, 'available');
    const mine = await moodSocket(leadB);
    const other = await moodSocket(w.lead);
    const c = await startChat(w, { name: '王芳', language: 'zh-CN' });
    for (const body of ['你好，我的订单还没到。', '已经等了一周了，有点失望。']) expect((await say(c, body)).statusCode).toBe(200);
    expect(alerts(mine.got)).toEqual([]);
    for (const body of ['太过分了，我非常生气！', '你们这些废物，垃圾服务，我要投诉！']) expect((await say(c, body)).statusCode).toBe(200);
    await expect.poll(() => alerts(mine.got).length, { timeout: 10_000 }).toBe(1);
    const [alert] = alerts(mine.got);
    expect(alert).toMatchObject({ conversationId: c.conversationId, teamId: w.teamB, customerName: '王芳', agentName: expect.any(String) });
    expect(alert!.score).toBeLessThan(-0.4);
    expect(alert!.lastMessages.map((m) => m.body)).toContain('你们这些••，垃圾服务，我要投诉！');
    // A fifth angry line inside the quiet time is no second alert.
    await say(c, '气死我了！');
    const listed = (await w.app.inject({ method: 'GET', url: '/mood/alerts', headers: leadB.auth })).json<MoodAlertList>().alerts;
    expect(listed).toHaveLength(1);
    expect((await w.app.inject({ method: 'GET', url: '/mood/alerts', headers: w.lead.auth })).json<MoodAlertList>().alerts).toEqual([]);
    expect(alerts(other.got)).toEqual([]);
    // The agent's view: the trend, one point per customer message, falling.
    const trend = (await w.app.inject({ method: 'GET', url: `/mood/conversations/${c.conversationId}`, headers: w.zed.auth })).json<ConversationMood>();
    expect(trend.points).toHaveLength(5);
    expect(trend.points[0]!.score).toBeGreaterThan(trend.points[3]!.score);
    expect(trend.points[3]!.abusive).toBe(true);
    // The other team's agent cannot read it.
    expect((await w.app.inject({ method: 'GET', url: `/mood/conversations/${c.conversationId}`, headers: w.anna.auth })).statusCode).toBe(404);
    mine.close();
    other.close();
  });

  test('the agent flags the customer abusive: their lead is alerted at once', async () => {
    await w.app.listen({ host: '127.0.0.1', port: 0 });
    await setPresence(w, w.zed, 'available');
    const mine = await moodSocket(leadB);
    const c = await startChat(w, { name: 'Li', language: 'zh-CN' });
    const res = await w.app.inject({ method: 'POST', url: `/mood/conversations/${c.conversationId}/abusive`, headers: w.zed.auth, payload: {} });
    expect(res.statusCode).toBe(200);
    await expect.poll(() => alerts(mine.got).map((a) => a.kind), { timeout: 10_000 }).toEqual(['abusive']);
    const ack = await w.app.inject({ method: 'POST', url: `/mood/alerts/${alerts(mine.got)[0]!.id}/ack`, headers: leadB.auth, payload: {} });
    expect(ack.json<{ acknowledgedAt: number | null }>().acknowledgedAt).not.toBeNull();
    mine.close();
  });
});

describe('when a rule fires', () => {
  test('low: the mean of the last three at or below the threshold; drop: one message far below the ones before', () => {
    expect(triggerOf([], -0.9)).toBeNull();
    expect(triggerOf([-0.2], -0.8)).toBe('low');
    expect(triggerOf([0, 0], -0.3)).toBeNull();
    expect(triggerOf([0.5, 0.6], -0.4)).toBe('drop');
    expect(triggerOf([-0.1, 0.1, 0.2], 0)).toBeNull();
  });
});

describe('blocking an abusive customer', () => {
  test("the team's lead blocks the widget address: the next session is refused politely (403 blocked); lifting restores it; the agent may not block", async () => {
    await setPresence(w, w.zed, 'available');
    const address = '203.0.113.7';
    const c = await startChat(w, { name: 'Rude', language: 'zh-CN' }, address);
    const block = (who: Person) => w.app.inject({ method: 'POST', url: `/mood/conversations/${c.conversationId}/block`, headers: who.auth, payload: { hours: 24, reason: '辱骂坐席' } });
    expect((await block(w.zed)).statusCode).toBe(403);
    expect((await block(w.lead)).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'POST', url: `/mood/conversations/${c.conversationId}/block`, headers: leadB.auth, payload: { hours: 0, reason: '' } })).statusCode).toBe(400);
    const made = await block(leadB);
    expect(made.statusCode).toBe(200);
    const b = made.json<{ id: string; byAddress: boolean; createdByName: string }>();
    expect(b.byAddress).toBe(true);
    const refused = await w.app.inject({ method: 'POST', url: '/widget/sessions', payload: { name: 'Rude', language: 'zh-CN' }, remoteAddress: address });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('blocked');
    // Someone else, from another address, is not affected.
    await startChat(w, { name: 'Kind', language: 'zh-CN' }, '203.0.113.8');
    const listed = (await w.app.inject({ method: 'GET', url: '/mood/blocks', headers: leadB.auth })).json<{ blocks: { id: string; reason: string }[] }>().blocks;
    expect(listed.map((x) => x.reason)).toEqual(['辱骂坐席']);
    expect((await w.app.inject({ method: 'GET', url: '/mood/blocks', headers: w.lead.auth })).json<{ blocks: unknown[] }>().blocks).toEqual([]);
    const lifted = await w.app.inject({ method: 'POST', url: `/mood/blocks/${b.id}/lift`, headers: leadB.auth, payload: {} });
    expect(lifted.json<{ liftedAt: number | null; liftedByName: string }>().liftedAt).not.toBeNull();
    await startChat(w, { name: 'Rude', language: 'zh-CN' }, address);
  });
});
