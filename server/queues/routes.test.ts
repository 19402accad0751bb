import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BoardSnapshot } from '../../core/wire/board';
import type { MyQueueState, VoiceQueue, VoiceQueueList } from '../../core/wire/queues';
import type { Person } from '../../tests/support/server/syncWorld';
import { type ChatWorld, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';
import { enqueue, loadQueueByNumber } from './dispatch';
import { signatureValue } from '../chat/outbox';
import type { PbxQueueCallStatus } from '../../core/wire/queues';

/**
 * Issue 17 over HTTP: a lead sets up a queue number and the agents' skills; a call that joins the queue
 * rings at the longest-idle skilled agent's app with the queue's name; it rings out to the next agent and
 * the first is told they were set not-ready; an agent on a queue call gets no new chat; the wallboard shows
 * the queue's figures.
 */
let w: ChatWorld;
beforeAll(async () => {
  w = await createChatWorld();
});
afterAll(async () => w?.close());

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: Person, payload?: unknown) =>
  w.app.inject({ method, url, headers: who.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
const mine = async (who: Person) => (await inject('GET', '/queues/mine', who)).json<MyQueueState>();

describe('voice queues over HTTP', () => {
  test('set up, ring the longest idle, ring out to the next with the first set not-ready, answer, wallboard figures', async () => {
    const bad = await inject('POST', `/teams/${w.teamA}/voice-queues`, w.lead, { name: 'Billing', number: '12ab', skills: ['billing'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/2 to 10 digits/);
    expect((await w.db.query('select 1 from voice_queues')).rows).toEqual([]);
    const made = await inject('POST', `/teams/${w.teamA}/voice-queues`, w.lead, { name: 'Billing', number: '8100', skills: ['billing'], ringSeconds: 15 });
    expect(made.statusCode).toBe(201);
    expect(made.json<VoiceQueue>()).toMatchObject({ name: 'Billing', number: '8100', skills: ['billing'], strategy: 'longest-idle', ringSeconds: 15 });
    expect((await inject('POST', `/teams/${w.teamA}/voice-queues`, w.lead, { name: 'Again', number: '8100' })).statusCode).toBe(409);
    expect((await inject('POST', `/teams/${w.teamA}/voice-queues`, w.anna, { name: 'Mine', number: '8101' })).statusCode).toBe(403);

    for (const who of [w.anna, w.bo]) expect((await inject('PUT', `/teams/${w.teamA}/agents/${who.id}/routing`, w.lead, { skills: ['Billing'], languages: ['en'] })).statusCode).toBe(204);
    // Anna has been idle longest.
    await w.db.query('update agent_routing set idle_since = $2 where user_id = $1', [w.anna.id, new Date(w.clock.now - 600_000)]);
    await w.db.query('update agent_routing set idle_since = $2 where user_id = $1', [w.bo.id, new Date(w.clock.now - 60_000)]);
    await setPresence(w, w.anna, 'available');
    await setPresence(w, w.bo, 'available');

    const queue = (await loadQueueByNumber(w.db, '8100'))!;
    const call = await enqueue(w.db, queue, '+4930111222', null, new Date(w.clock.now));
    await w.voice.tick();
    const ringing = await mine(w.anna);
    expect(ringing.ringing).toMatchObject({ callId: call.id, queueName: 'Billing', caller: '+4930111222', callback: false, expiresAt: w.clock.now + 15_000 });
    expect((await mine(w.bo)).ringing).toBeNull();

    // One notion of busy: Anna's phone rings for a queue call, so a new chat goes to Bo.
    const chat = await startChat(w);
    const { rows: offered } = await w.db.query<{ offered_to_id: string }>('select offered_to_id from conversations where id = $1', [chat.conversationId]);
    expect(offered[0]!.offered_to_id).toBe(w.bo.id);

    w.clock.now += 15_000;
    await w.voice.tick();
    const after = await mine(w.anna);
    expect(after.ringing).toBeNull();
    expect(after.notReady).toEqual({ reason: 'rang-out', queueName: 'Billing', at: w.clock.now });
    expect((await mine(w.bo)).ringing?.callId).toBe(call.id);
    // Anna cannot take it any more; Bo does, 18 s after the call joined (within the 20 s target).
    expect((await inject('POST', `/queues/calls/${call.id}/answer`, w.anna)).statusCode).toBe(409);
    w.clock.now += 3_000;
    const answered = await inject('POST', `/queues/calls/${call.id}/answer`, w.bo);
    expect(answered.statusCode).toBe(200);
    expect((await mine(w.bo)).connected?.callId).toBe(call.id);

    const board = (await inject('GET', `/board/teams/${w.teamA}`, w.lead)).json<BoardSnapshot>();
    expect(board.queues.find((q) => q.kind === 'voice')).toMatchObject({ name: 'Billing', number: '8100', waiting: 0, answeredHour: 1, withinTargetHour: 1, abandonedHour: 0, callbacksWaiting: 0 });
    const list = (await inject('GET', `/teams/${w.teamA}/voice-queues`, w.lead)).json<VoiceQueueList>();
    expect(list.queues[0]!.figures).toMatchObject({ waiting: 0, answeredToday: 1, withinTargetToday: 1 });

    // Back to available: the not-ready notice is gone.
    await setPresence(w, w.anna, 'available');
    expect((await mine(w.anna)).notReady).toBeNull();
    expect((await inject('POST', `/queues/calls/${call.id}/hangup`, w.bo)).statusCode).toBe(204);
    expect((await mine(w.bo)).connected).toBeNull();
  });

  test('the PBX holds the call: place in line, the extension to ring (next one after a ring-out), answered, callback keeping the place', async () => {
    const secret = 'pbx-secret-0123456789abcdef';
    await w.db.query("insert into pbx_connectors (id, name, secret) values ('office-pbx', 'Office PBX', $1)", [secret]);
    await w.db.query("update users set extension = '1001' where id = $1", [w.anna.id]);
    await w.db.query("update users set extension = '1002' where id = $1", [w.bo.id]);
    const pbx = async (path: string, body: unknown, key = secret) => {
      const raw = JSON.stringify(body);
      const res = await w.app.inject({
        method: 'POST',
        url: `/pbx/office-pbx/queue-calls${path}`,
        headers: { 'content-type': 'application/json', 'x-switchboard-signature': signatureValue(key, Math.floor(w.clock.now / 1000), raw) },
        payload: raw,
      });
      return { code: res.statusCode, body: res.json<PbxQueueCallStatus & { error?: { message: string } }>() };
    };
    expect((await pbx('', { queueNumber: '8100', caller: '+4930999' }, 'not-the-secret-0123456789')).code).toBe(401);
    expect((await pbx('', { queueNumber: '8199', caller: '+4930999' })).code).toBe(404);
    expect((await pbx('', { queueNumber: '8100', caller: '' })).code).toBe(400);

    // Nobody is free: Bo is on the first test's call... which ended; make both busy so the calls wait.
    await setPresence(w, w.anna, 'busy');
    await setPresence(w, w.bo, 'busy');
    const first = await pbx('', { queueNumber: '8100', caller: '+4930111' });
    expect(first.code).toBe(200);
    expect(first.body).toMatchObject({ queueName: 'Billing', state: 'waiting', position: 1, ring: null, callback: false });
    w.clock.now += 1_000;
    const second = await pbx('', { queueNumber: '8100', caller: '+4930222' });
    expect(second.body.position).toBe(2);

    // The first caller asks for a callback and hangs up: still first in line.
    expect((await pbx('/events', { callId: first.body.callId, event: 'callback' })).body).toMatchObject({ callback: true, position: 1 });
    expect((await pbx('/events', { callId: first.body.callId, event: 'caller-gone' })).body).toMatchObject({ state: 'waiting', position: 1 });
    expect((await pbx('/status', { callId: second.body.callId })).body.position).toBe(2);

    await w.db.query('update agent_routing set idle_since = $2 where user_id = $1', [w.anna.id, new Date(w.clock.now - 600_000)]);
    await setPresence(w, w.anna, 'available');
    await w.voice.tick();
    // Anna gets the callback first (its place was kept) and sees it as a callback.
    expect((await mine(w.anna)).ringing).toMatchObject({ callId: first.body.callId, callback: true, queueName: 'Billing' });
    expect((await pbx('/status', { callId: first.body.callId })).body).toMatchObject({ state: 'offered', ring: '1001' });
    expect((await inject('POST', `/queues/calls/${first.body.callId}/answer`, w.anna)).statusCode).toBe(200);
    expect((await inject('POST', `/queues/calls/${first.body.callId}/hangup`, w.anna)).statusCode).toBe(204);

    // The second call rings Bo (idle longer: Anna just finished a call); nobody answers; it moves to Anna,
    // and the PBX is told to ring 1001 instead of 1002.
    await setPresence(w, w.bo, 'available');
    await w.voice.tick();
    expect((await pbx('/status', { callId: second.body.callId })).body).toMatchObject({ state: 'offered', ring: '1002' });
    w.clock.now += 15_000;
    await w.voice.tick();
    expect((await pbx('/status', { callId: second.body.callId })).body).toMatchObject({ state: 'offered', ring: '1001' });
    expect((await mine(w.bo)).notReady?.queueName).toBe('Billing');
    // Bo's old leg answering late is refused; Anna's phone picks up.
    expect((await pbx('/events', { callId: second.body.callId, event: 'answered', extension: '1002' })).code).toBe(409);
    expect((await pbx('/events', { callId: second.body.callId, event: 'answered', extension: '1001' })).body).toMatchObject({ state: 'connected', connectedTo: '1001', ring: null });
    expect((await pbx('/events', { callId: second.body.callId, event: 'caller-gone' })).body).toMatchObject({ state: 'ended' });
    const list = (await inject('GET', `/teams/${w.teamA}/voice-queues`, w.lead)).json<VoiceQueueList>();
    expect(list.queues[0]!.figures).toMatchObject({ waiting: 0, answeredToday: 3, callbacksWaiting: 0 });
  });
});
