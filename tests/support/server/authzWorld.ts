import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Role } from '../../../core/wire/auth';
import { buildServer } from '../../../server/app';
import { hashPassword } from '../../../server/auth/password';
import { createSession, revokeSession } from '../../../server/auth/sessions';
import { createTokenService } from '../../../server/auth/tokens';
import { signatureValue } from '../../../server/chat/outbox';
import { makeConfig } from '../../../server/config';
import { roomyWidgetQuotas } from './chatWorld';
import type { Db } from '../../../server/db/db';
import { migrate } from '../../../server/db/migrate';
import { openPglite } from '../../../server/db/pglite';

/**
 * The security tests' world: Team Berlin (agent, lead, a lead demoted to agent after signing in),
 * Team Shanghai (agent, lead), an admin without a team, and a signed-out session of the Berlin agent.
 * Every resource a route can name belongs to Berlin, so "another team" is always Shanghai.
 * The server is built with an `onRoute` hook, so `routes` is the server's whole route table.
 */
export const secret = 'security-test-secret-that-is-long-enough-0123456789';
export const password = 'correct horse battery staple';
export const providerId = 'gateway';
export const providerSecret = 'provider-secret-0123456789abcdef';
/** Berlin's voice queue number and a call waiting in it (the PBX routes' fixtures). */
export const pbxQueueNumber = '8999';
export const pbxCallId = '6f1f3c2e-6a55-4c1e-9a51-1f0d7d4e0a17';

export type Person = { id: string; username: string; token: string; sessionId: string; refreshToken: string; auth: { authorization: string } };

/** The callers every route is tried with, in the order the expectations table lists them. */
export const callers = ['none', 'garbage', 'signedOut', 'otherAgent', 'otherLead', 'agent', 'lead', 'admin'] as const;
export type Caller = (typeof callers)[number];

export type RouteInfo = { method: string; url: string; websocket: boolean };

export type SecurityWorld = {
  db: Db;
  app: FastifyInstance;
  routes: RouteInfo[];
  berlin: string;
  shanghai: string;
  queues: { berlin: string; shanghai: string };
  people: { agent: Person; lead: Person; otherAgent: Person; otherLead: Person; admin: Person; demoted: Person; signedOut: Person };
  /** Authorization headers for a caller (none: no header). */
  headersOf(caller: Caller | 'demoted'): Record<string, string>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** A signed webhook delivery as the gateway would send it. */
  signed(url: string, body: unknown, sign?: 'good' | 'none' | 'wrong'): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function createSecurityWorld(options: { heartbeatMs?: number; extraRoutes?: (app: FastifyInstance) => void } = {}): Promise<SecurityWorld> {
  const db = await openPglite('memory://');
  await migrate(db);
  const tokens = createTokenService(secret, 3600);
  const berlin = randomUUID();
  const shanghai = randomUUID();
  await db.query('insert into teams (id, name) values ($1, $2), ($3, $4)', [berlin, 'Team Berlin', shanghai, 'Team Shanghai']);
  const hash = await hashPassword(password);
  let extension = 2000;
  const person = async (username: string, role: Role, team: string | null): Promise<Person> => {
    const id = randomUUID();
    extension += 1;
    await db.query('insert into users (id, username, display_name, role, password_hash, extension, sip_password) values ($1, $2, $2, $3, $4, $5, $6)', [id, username, role, hash, String(extension), 'sip-secret']);
    if (team) await db.query('insert into team_members (team_id, user_id) values ($1, $2)', [team, id]);
    const { sessionId, refreshToken } = await createSession(db, id, 3600);
    const token = await tokens.signAccess({ sub: id, role, sid: sessionId });
    return { id, username, token, sessionId, refreshToken, auth: bearer(token) };
  };
  const agent = await person('berlin-agent', 'agent', berlin);
  // Fixtures accept many chats as this agent; the default capacity (3) would refuse the fourth.
  await db.query('insert into agent_capacity (user_id, max_chats) values ($1, 20)', [agent.id]);
  const lead = await person('berlin-lead', 'lead', berlin);
  const otherAgent = await person('shanghai-agent', 'agent', shanghai);
  const otherLead = await person('shanghai-lead', 'lead', shanghai);
  const admin = await person('admin', 'admin', null);
  // Signed in as a lead; then an admin made them an agent (issue 12 item 15: the token's role must not count).
  const demoted = await person('demoted-lead', 'lead', berlin);
  await db.query("update users set role = 'agent' where id = $1", [demoted.id]);
  // The Berlin agent's second computer, signed out.
  const { sessionId: outSid } = await createSession(db, agent.id, 3600);
  const signedOutToken = await tokens.signAccess({ sub: agent.id, role: 'agent', sid: outSid });
  await revokeSession(db, outSid, 'logout');
  const signedOut: Person = { ...agent, token: signedOutToken, sessionId: outSid, auth: bearer(signedOutToken) };

  const insertQueue = async (name: string, teamId: string, language: string) => {
    const { rows } = await db.query<{ id: string }>(
      "insert into chat_queues (name, team_id, language, mode, offer_timeout_seconds) values ($1, $2, $3, 'offer', 30) returning id",
      [name, teamId, language],
    );
    return rows[0]!.id;
  };
  const queues = { berlin: await insertQueue('Berlin English', berlin, 'en'), shanghai: await insertQueue('Shanghai Chinese', shanghai, 'zh-CN') };
  await db.query('insert into messaging_providers (id, name, secret, callback_url) values ($1, $2, $3, $4)', [providerId, 'Gateway', providerSecret, 'https://gateway.invalid/cb']);
  // Issue 17: a PBX connector with the same id and secret (so `signed` reaches the PBX routes too), Berlin's queue number and one waiting call.
  await db.query('insert into pbx_connectors (id, name, secret) values ($1, $2, $3)', [providerId, 'PBX', providerSecret]);
  const voiceQueue = await db.query<{ id: string }>("insert into voice_queues (team_id, name, number) values ($1, 'Berlin line', $2) returning id", [berlin, pbxQueueNumber]);
  await db.query("insert into queue_calls (id, queue_id, team_id, caller, state, enqueued_at) values ($1, $2, $3, '+4930777', 'waiting', now())", [pbxCallId, voiceQueue.rows[0]!.id, berlin]);

  const routes: RouteInfo[] = [];
  const onRoute = (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const websocket = (route as { websocket?: boolean }).websocket === true;
    for (const method of methods) routes.push({ method, url: route.url, websocket });
  };
  const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', ...roomyWidgetQuotas }), {
    db,
    onRoute,
    sync: { authDeadlineMs: 300, heartbeatMs: options.heartbeatMs ?? 20_000, pruneEveryMs: 0 },
    chat: { sweepMs: 0, authDeadlineMs: 300, heartbeatMs: options.heartbeatMs ?? 20_000, post: async () => ({ ok: true, status: 200 }) },
    kpi: { materialiseEveryMs: 0 },
  });
  options.extraRoutes?.(app);
  await app.ready();

  const people = { agent, lead, otherAgent, otherLead, admin, demoted, signedOut };
  const headersOf = (caller: Caller | 'demoted'): Record<string, string> => {
    if (caller === 'none') return {};
    if (caller === 'garbage') return { authorization: 'Bearer garbage.garbage.garbage' };
    return people[caller].auth;
  };
  return {
    db,
    app,
    routes,
    berlin,
    shanghai,
    queues,
    people,
    headersOf,
    inject: (o) => app.inject(o),
    signed(url, body, sign = 'good') {
      const raw = JSON.stringify(body);
      const at = Math.floor(Date.now() / 1000);
      const header = sign === 'none' ? {} : { 'x-switchboard-signature': signatureValue(sign === 'good' ? providerSecret : 'not-the-secret-0123456789', at, raw) };
      return app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...header }, payload: raw });
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}
