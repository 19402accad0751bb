import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AuditList, GrantResponse, TeamLive, VerifyResponse } from '../../core/coaching/wire';
import { LoginResponse } from '../../core/wire/auth';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { demoPassword, seedDemo } from '../seed/seed';
import { createGrantSigner } from './grants';

const secret = 'coaching-test-secret-that-is-long-enough-0123';
const clock = { now: Date.now() };
let db: Db;
let app: FastifyInstance;
type Who = { id: string; auth: { authorization: string } };
const people: Record<string, Who> = {};

beforeAll(async () => {
  db = await openPglite('memory://');
  await migrate(db);
  await seedDemo(db, { tickets: 5, customers: 5, kpiHistory: false });
  app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db, sync: { now: () => clock.now }, chat: { sweepMs: 0 } });
  for (const u of ['agent1', 'agent2', 'agent3', 'lead1', 'lead2', 'admin']) {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: u, password: demoPassword } });
    const body = LoginResponse.parse(res.json());
    people[u] = { id: body.user.id, auth: { authorization: `Bearer ${body.accessToken}` } };
  }
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const who = (u: string): Who => people[u]!;
const post = (u: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: who(u).auth, payload: payload as object });
const report = (u: string, callId: string | null) =>
  post(u, '/coaching/live', {
    presence: 'busy',
    call: callId && { callId, remote: '1003', direction: 'inbound', startedAt: clock.now - 5000, held: false, band: 'good', mos: 4.3 },
  });
const grant = async (lead: string, agent: string, callId: string, ttlSeconds?: number) =>
  post(lead, '/coaching/grants', { agentId: who(agent).id, callId, ...(ttlSeconds ? { ttlSeconds } : {}) });
const verify = (agent: string, token: string, callId: string | null) => post(agent, '/coaching/verify', { grant: token, callId });
const reason = (res: { json(): unknown }) => (res.json() as { error: { message: string } }).error.message.split(':')[0];

describe('coaching grants', () => {
  test('a lead gets a grant for their agent\'s current call; the agent\'s app verifies it once and learns who is coaching', async () => {
    expect((await report('agent1', 'call-a1')).statusCode).toBe(204);
    const res = await grant('lead1', 'agent1', 'call-a1');
    expect(res.statusCode).toBe(200);
    const g = GrantResponse.parse(res.json());
    expect(g.extension).toBe('1001');
    const ok = await verify('agent1', g.grant, 'call-a1');
    expect(ok.statusCode).toBe(200);
    expect(VerifyResponse.parse(ok.json())).toMatchObject({ sessionId: g.sessionId, callId: 'call-a1', lead: { id: who('lead1').id, displayName: '王军' }, showListen: true });
    const replay = await verify('agent1', g.grant, 'call-a1');
    expect(replay.statusCode).toBe(403);
    expect(reason(replay)).toBe('replayed');
  });

  test('no grant for a call the agent is not on, for another team\'s agent, or for an agent asking', async () => {
    await report('agent2', 'call-b1');
    expect((await grant('lead1', 'agent2', 'made-up')).statusCode).toBe(409);
    await report('agent3', 'call-c1');
    expect((await grant('lead1', 'agent3', 'call-c1')).statusCode).toBe(403);
    expect((await grant('agent2', 'agent1', 'call-a1')).statusCode).toBe(403);
  });

  test('forged, expired, another agent\'s and stale-call grants are refused with the reason', async () => {
    await report('agent1', 'call-a2');
    await report('agent2', 'call-b2');
    const g = GrantResponse.parse((await grant('lead1', 'agent1', 'call-a2')).json());
    const [v, body] = g.grant.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${v}.${Buffer.from(JSON.stringify({ ...payload, agentId: who('agent2').id })).toString('base64url')}.${g.grant.split('.')[2]}`;
    expect(reason(await verify('agent2', tampered, 'call-b2'))).toBe('forged');
    const otherKey = createGrantSigner('another-secret-another-secret-0123456789').sign(payload as never);
    expect(reason(await verify('agent1', otherKey, 'call-a2'))).toBe('forged');
    expect(reason(await verify('agent1', 'v1.short.sig', 'call-a2'))).toBe('malformed');
    expect(reason(await verify('agent2', g.grant, 'call-b2'))).toBe('wrong-agent');
    expect(reason(await verify('agent1', g.grant, 'call-other'))).toBe('wrong-call');

    const short = GrantResponse.parse((await grant('lead1', 'agent1', 'call-a2', 1)).json());
    clock.now += 2000;
    expect(reason(await verify('agent1', short.grant, 'call-a2'))).toBe('expired');
    // The refusals above did not burn the first grant: the right agent still can use it.
    expect((await verify('agent1', g.grant, 'call-a2')).statusCode).toBe(200);
  });

  test('a deployment that hides silent listening tells the agent\'s app so', async () => {
    const hidden = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', coachListen: 'hidden' }), { db, sync: { now: () => clock.now }, chat: { sweepMs: 0 } });
    const inject = (u: string, url: string, payload: unknown) => hidden.inject({ method: 'POST', url, headers: who(u).auth, payload: payload as object });
    await inject('agent1', '/coaching/live', { presence: 'busy', call: { callId: 'call-h', remote: '1003', direction: 'inbound', startedAt: clock.now, held: false, band: 'good' } });
    const g = GrantResponse.parse((await inject('lead1', '/coaching/grants', { agentId: who('agent1').id, callId: 'call-h' })).json());
    expect(VerifyResponse.parse((await inject('agent1', '/coaching/verify', { grant: g.grant, callId: 'call-h' })).json()).showListen).toBe(false);
    await hidden.close();
  });

  test('a grant is refused once the call it was for has ended', async () => {
    await report('agent1', 'call-a3');
    const g = GrantResponse.parse((await grant('lead1', 'agent1', 'call-a3')).json());
    await report('agent1', null);
    expect(reason(await verify('agent1', g.grant, 'call-a3'))).toBe('wrong-call');
  });
});

describe('team live and audit', () => {
  test('the lead sees presence, the current call with quality, a raised hand and the coach; another team\'s lead and agents may not', async () => {
    await report('agent1', 'call-a4');
    await post('agent1', '/coaching/hand', { raised: true, note: 'refund question' });
    const teamId = (await db.query<{ id: string }>("select id from teams where name = 'Team Shanghai'")).rows[0]!.id;
    const g = GrantResponse.parse((await grant('lead1', 'agent1', 'call-a4')).json());
    await verify('agent1', g.grant, 'call-a4');
    expect((await post('lead1', `/coaching/sessions/${g.sessionId}/events`, { type: 'started', mode: 'listen' })).statusCode).toBe(204);
    // The agent's app reports the start too: recorded once.
    expect((await post('agent1', `/coaching/sessions/${g.sessionId}/events`, { type: 'started', mode: 'listen' })).statusCode).toBe(204);
    expect((await post('lead1', `/coaching/sessions/${g.sessionId}/events`, { type: 'mode', mode: 'whisper' })).statusCode).toBe(204);

    const live = await app.inject({ method: 'GET', url: `/coaching/teams/${teamId}/live`, headers: who('lead1').auth });
    const m = TeamLive.parse(live.json()).members.find((x) => x.id === who('agent1').id)!;
    expect(m).toMatchObject({ presence: 'busy', call: { callId: 'call-a4', band: 'good' }, hand: { note: 'refund question' }, coach: { mode: 'whisper', leadName: '王军' } });
    for (const u of ['lead2', 'agent1']) expect((await app.inject({ method: 'GET', url: `/coaching/teams/${teamId}/live`, headers: who(u).auth })).statusCode).toBe(403);

    // A stranger cannot write into the session's audit trail.
    expect((await post('agent2', `/coaching/sessions/${g.sessionId}/events`, { type: 'mode', mode: 'barge' })).statusCode).toBe(403);
    expect((await post('agent1', `/coaching/sessions/${g.sessionId}/events`, { type: 'ended', reason: 'lead-lost' })).statusCode).toBe(204);
    expect((await post('lead1', `/coaching/sessions/${g.sessionId}/events`, { type: 'ended', reason: 'lead-left' })).statusCode).toBe(204);

    const audit = AuditList.parse((await app.inject({ method: 'GET', url: '/coaching/audit', headers: who('lead1').auth })).json());
    const s = audit.sessions.find((x) => x.id === g.sessionId)!;
    expect(s).toMatchObject({ lead: { displayName: '王军' }, agent: { id: who('agent1').id }, callId: 'call-a4', endReason: 'lead-lost' });
    expect(s.events.map((e) => `${e.kind}${e.mode ? `:${e.mode}` : ''}`)).toEqual(['granted', 'started:listen', 'mode:whisper', 'ended']);
    const other = AuditList.parse((await app.inject({ method: 'GET', url: '/coaching/audit', headers: who('lead2').auth })).json());
    expect(other.sessions.some((x) => x.id === g.sessionId)).toBe(false);
    expect((await app.inject({ method: 'GET', url: '/coaching/audit', headers: who('agent1').auth })).statusCode).toBe(403);
    const adminView = AuditList.parse((await app.inject({ method: 'GET', url: '/coaching/audit', headers: who('admin').auth })).json());
    expect(adminView.sessions.some((x) => x.id === g.sessionId)).toBe(true);
  });

  test('issue 12 item 15: a demoted lead loses the live, roster and audit routes at once, not when the access token expires', async () => {
    const teamId = (await db.query<{ id: string }>("select id from teams where name = 'Team Shanghai'")).rows[0]!.id;
    const live = () => app.inject({ method: 'GET', url: `/coaching/teams/${teamId}/live`, headers: who('lead1').auth });
    const audit = () => app.inject({ method: 'GET', url: '/coaching/audit', headers: who('lead1').auth });
    const roster = () => app.inject({ method: 'GET', url: `/teams/${teamId}/roster`, headers: who('lead1').auth });
    expect((await live()).statusCode).toBe(200);
    expect((await roster()).statusCode).toBe(200);
    await db.query("update users set role = 'agent' where id = $1", [who('lead1').id]);
    try {
      // Same access token, still signed with role "lead": the role in the database is what counts.
      expect((await live()).statusCode).toBe(403);
      expect((await audit()).statusCode).toBe(403);
      expect((await roster()).statusCode).toBe(403);
      expect((await post('lead1', '/coaching/grants', { agentId: who('agent1').id, callId: 'call-x' })).statusCode).toBe(403);
      // Moved out of the team while still a lead: the team's live view is closed to them as well.
      await db.query("update users set role = 'lead' where id = $1", [who('lead1').id]);
      await db.query('delete from team_members where user_id = $1 and team_id = $2', [who('lead1').id, teamId]);
      expect((await live()).statusCode).toBe(403);
    } finally {
      await db.query("update users set role = 'lead' where id = $1", [who('lead1').id]);
      await db.query('insert into team_members (team_id, user_id) values ($1, $2) on conflict do nothing', [teamId, who('lead1').id]);
    }
  });

  test('bad bodies get a 400 that names the field', async () => {
    const res = await post('agent1', '/coaching/live', { presence: 'sleeping', call: null });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('presence');
  });
});
