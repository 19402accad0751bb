import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LoginResponse } from '../../core/wire/auth';
import { SsoConfig } from '../../core/wire/sso';
import { buildServer } from '../app';
import { createFakeIdp, type FakeIdp } from '../../tests/support/server/oidcFakes';
import { linkSsoIdentity } from './ssoAccounts';
import { makeConfig, type ServerConfigInput } from '../config';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { demoPassword, seedDemo } from '../seed/seed';

const secret = 'test-secret-that-is-long-enough-0123456789';
const verifier = 'v'.repeat(43);
const redirectUri = 'http://127.0.0.1:50000/sso/callback';
let db: Db;
let idp: FakeIdp;
let counter = 0;

beforeAll(async () => {
  db = await openPglite('memory://');
  await migrate(db);
  await seedDemo(db, { tickets: 5, customers: 5, kpiHistory: false });
  idp = await createFakeIdp();
});
afterAll(async () => {
  await db?.close();
});

function build(overrides: Partial<ServerConfigInput> = {}): FastifyInstance {
  const config = makeConfig({ tokenSecret: secret, logLevel: 'silent', oidcIssuer: idp.issuer, oidcClientId: idp.clientId, ...overrides });
  return buildServer(config, { db, oidc: { fetch: idp.fetch } });
}

/** A fresh code and nonce whose ID token carries these claims. */
function signIn(claims: Record<string, unknown> & { sub: string }) {
  counter += 1;
  const nonce = `nonce-${counter}-0123456789abcdef`;
  const code = `code-${counter}`;
  idp.issueCode(code, { ...claims, nonce }, { verifier, redirectUri });
  return { code, codeVerifier: verifier, redirectUri, nonce };
}

const exchange = (app: FastifyInstance, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/auth/sso/exchange', payload });

describe('GET /auth/sso/config', () => {
  test('names the provider from discovery and whether passwords are allowed', async () => {
    const app = build({ passwordLogin: 'off' });
    const body = SsoConfig.parse((await app.inject({ method: 'GET', url: '/auth/sso/config' })).json());
    expect(body).toEqual({
      passwordLoginEnabled: false,
      sso: { issuer: idp.issuer, clientId: idp.clientId, authorizationEndpoint: `${idp.issuer}/auth`, scopes: ['openid', 'profile', 'email'], issParameterSupported: true },
      ssoProblem: null,
    });
  });

  test('without SSO configured: passwords only', async () => {
    const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db });
    expect((await app.inject({ method: 'GET', url: '/auth/sso/config' })).json()).toEqual({ passwordLoginEnabled: true, sso: null, ssoProblem: null });
    expect((await exchange(app, signIn({ sub: 'x' }))).statusCode).toBe(404);
  });
});

describe('POST /auth/sso/exchange', () => {
  test('signs the mapped agent in with our own tokens, and later by the linked subject alone', async () => {
    const app = build();
    const res = await exchange(app, signIn({ sub: 'idp-user-3', preferred_username: 'Agent3' }));
    expect(res.statusCode).toBe(200);
    const body = LoginResponse.parse(res.json());
    expect(body.user).toMatchObject({ username: 'agent3', displayName: 'Jonas Weber' });
    expect((await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${body.accessToken}` } })).statusCode).toBe(200);
    // The username at the provider changed; the stable subject still finds the same agent.
    const again = await exchange(app, signIn({ sub: 'idp-user-3', preferred_username: 'jonas.renamed' }));
    expect(LoginResponse.parse(again.json()).user.username).toBe('agent3');
  });

  test('refuses a replayed code before asking the provider again', async () => {
    const app = build();
    const request = signIn({ sub: 'idp-user-4', preferred_username: 'agent4' });
    expect((await exchange(app, request)).statusCode).toBe(200);
    const tokenCalls = idp.calls.filter((u) => u.endsWith('/token')).length;
    const replay = await exchange(app, request);
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toEqual({ error: { code: 'sso-rejected', message: expect.stringMatching(/already used/) } });
    expect(idp.calls.filter((u) => u.endsWith('/token')).length).toBe(tokenCalls);
  });

  test('refuses a wrong PKCE verifier (the provider says no) and a missing one (our schema says no)', async () => {
    const app = build();
    const wrong = await exchange(app, { ...signIn({ sub: 'idp-user-1', preferred_username: 'agent1' }), codeVerifier: 'w'.repeat(43) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toMatch(/PKCE verification failed/);
    const { codeVerifier: _omitted, ...withoutVerifier } = signIn({ sub: 'idp-user-1', preferred_username: 'agent1' });
    const missing = await exchange(app, withoutVerifier);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/codeVerifier/);
  });

  test('refuses an ID token from another issuer, and one whose nonce is not this sign-in’s', async () => {
    const app = build();
    const wrongIssuer = await exchange(app, signIn({ sub: 'idp-user-1', preferred_username: 'agent1', iss: 'https://evil.example' }));
    expect(wrongIssuer.statusCode).toBe(401);
    expect(wrongIssuer.json().error).toMatchObject({ code: 'sso-rejected', message: expect.stringMatching(/issuer/) });
    const request = signIn({ sub: 'idp-user-1', preferred_username: 'agent1' });
    const badNonce = await exchange(app, { ...request, nonce: 'a-different-nonce-0123456789' });
    expect(badNonce.json().error.message).toMatch(/nonce/);
  });

  test('refuses a person with no agent account, and an unverified e-mail when mapping by e-mail', async () => {
    const unknown = await exchange(build(), signIn({ sub: 'idp-stranger', preferred_username: 'nobody' }));
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json().error.code).toBe('sso-unknown-user');
    const byEmail = build({ oidcUsernameClaim: 'email' });
    expect((await exchange(byEmail, signIn({ sub: 'idp-e1', email: 'lead2', email_verified: false }))).json().error.code).toBe('sso-unknown-user');
    // agent2, not lead2 as before issue 12 item 15a: leads are no longer linked by a claim at all.
    expect((await exchange(byEmail, signIn({ sub: 'idp-e2', email: 'agent2', email_verified: true }))).statusCode).toBe(200);
  });

  test('the teams claim sets the agent’s teams (known teams only)', async () => {
    const app = build({ oidcTeamsClaim: 'groups' });
    const res = await exchange(app, signIn({ sub: 'idp-user-2', preferred_username: 'agent2', groups: ['Team Berlin', 'No Such Team'] }));
    expect(LoginResponse.parse(res.json()).user.teams.map((t) => t.name)).toEqual(['Team Berlin']);
  });
});

describe('issue 12 item 15a (sso linking)', () => {
  test('issue 12 item 15a (sso linking): a first sign-in naming admin or a team lead is refused and audited; an agent is still linked by name', async () => {
    const app = build();
    for (const [sub, name] of [['idp-mallory-1', 'admin'], ['idp-mallory-2', 'Lead1']] as const) {
      const res = await exchange(app, signIn({ sub, preferred_username: name }));
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'sso-unknown-user', message: expect.stringMatching(/only by an administrator/) });
    }
    const links = await db.query(`select 1 from sso_identities where subject like 'idp-mallory-%'`);
    expect(links.rows).toHaveLength(0);
    expect((await exchange(app, signIn({ sub: 'idp-agent-1', preferred_username: 'agent1' }))).statusCode).toBe(200);
    await app.close();
    const audit = await db.query<{ event: string; username: string }>(`select event, username from auth_audit where username like 'idp-mallory-%' order by id`);
    expect(audit.rows).toEqual([
      { event: 'sso-refused', username: 'idp-mallory-1' },
      { event: 'sso-refused', username: 'idp-mallory-2' },
    ]);
  });

  test('issue 12 item 15a (sso linking): an administrator’s link admits a lead; a by-name link stops counting once its agent is promoted', async () => {
    const app = build();
    expect(await linkSsoIdentity(db, { username: 'lead2', issuer: idp.issuer, subject: 'idp-lead-2' })).toBe(true);
    expect(LoginResponse.parse((await exchange(app, signIn({ sub: 'idp-lead-2', preferred_username: 'sarah' }))).json()).user.username).toBe('lead2');

    await db.query(`insert into users (username, display_name, role, password_hash) values ('rising', 'Rising Star', 'agent', 'x')`);
    expect((await exchange(app, signIn({ sub: 'idp-rising', preferred_username: 'rising' }))).statusCode).toBe(200);
    await db.query(`update users set role = 'lead' where username = 'rising'`);
    expect((await exchange(app, signIn({ sub: 'idp-rising', preferred_username: 'rising' }))).statusCode).toBe(403);
    expect(await linkSsoIdentity(db, { username: 'rising', issuer: idp.issuer, subject: 'idp-rising' })).toBe(true);
    expect((await exchange(app, signIn({ sub: 'idp-rising', preferred_username: 'rising' }))).statusCode).toBe(200);
    expect(await linkSsoIdentity(db, { username: 'nobody-here', issuer: idp.issuer, subject: 'x' })).toBe(false);
  });
});

describe('password sign-in turned off', () => {
  test('POST /auth/login is refused even with the right password', async () => {
    const res = await build({ passwordLogin: 'off' }).inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent1', password: demoPassword } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('password-login-disabled');
  });

  test('the server refuses to start with passwords off and no single sign-on', () => {
    expect(() => makeConfig({ passwordLogin: 'off' })).toThrow(/only be turned off when single sign-on is configured/);
  });
});
