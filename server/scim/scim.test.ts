import { randomUUID } from 'node:crypto';
import SCIMMY from 'scimmy';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSecurityWorld, type SecurityWorld } from '../../tests/support/server/authzWorld';
import { listenForSockets } from '../../tests/support/server/loopback';

/**
 * Issue 16, SCIM as Entra ID and Okta call it. The requests are built and every response is read with
 * SCIMMY (an independent SCIM 2.0 implementation from npm, not ours): PatchOp and SearchRequest messages
 * are SCIMMY's, and each User, Group and ListResponse we answer must pass SCIMMY's RFC 7643 schema
 * coercion, the way a client library would read it. No SCIM client or compliance
 * suite runs here (the published ones, e.g. scim2-tester, are on a registry this machine cannot reach).
 */

const heartbeatMs = 300;
let w: SecurityWorld;
let base: string;
let token: string;

beforeAll(async () => {
  w = await createSecurityWorld({ heartbeatMs });
  base = await listenForSockets(w.app);
  const made = await w.inject({ method: 'POST', url: '/admin/scim-providers', headers: w.people.admin.auth, payload: { id: 'entra', name: 'Entra ID' } });
  token = made.json<{ secret: string }>().secret;
});
afterAll(async () => {
  await w?.close();
});

type Res = { status: number; body: Record<string, unknown> };
async function scim(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, auth = token): Promise<Res> {
  const res = await w.inject({
    method,
    url: `/scim/v2${url}`,
    headers: { authorization: `Bearer ${auth}`, ...(payload === undefined ? {} : { 'content-type': 'application/scim+json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown>) : {} };
}

/** A User as a SCIM client reads it: SCIMMY's coercion throws on anything RFC 7643 does not allow. */
const readUser = (body: unknown) => new SCIMMY.Schemas.User(body, 'out') as unknown as { id: string; userName: string; active: boolean; displayName: string };
const readGroup = (body: unknown) => new SCIMMY.Schemas.Group(body, 'out') as unknown as { id: string; displayName: string; members?: { value: string }[] };
const patchOp = (Operations: SCIMMY.Messages.PatchOp.PatchOpOperation[]) => {
  // SCIMMY validates the message as a service provider would receive it; what it accepts is what we send.
  const message = { schemas: [SCIMMY.Messages.PatchOp.id], Operations } as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0];
  new SCIMMY.Messages.PatchOp(message);
  return message;
};
const search = (filter: string, startIndex?: number, count?: number) => {
  const req = new SCIMMY.Messages.SearchRequest().prepare({ filter, ...(startIndex ? { startIndex } : {}), ...(count ? { count } : {}) });
  const q = new URLSearchParams({ filter: req.filter!, ...(req.startIndex ? { startIndex: String(req.startIndex) } : {}), ...(req.count ? { count: String(req.count) } : {}) });
  return `?${q.toString()}`;
};

describe('SCIM 2.0', () => {
  test('discovery: ServiceProviderConfig, ResourceTypes and Schemas; no token or a user token is 401', async () => {
    const spc = await scim('GET', '/ServiceProviderConfig');
    expect(spc.status).toBe(200);
    expect(new SCIMMY.Schemas.ServiceProviderConfig(spc.body, 'out')).toMatchObject({ patch: { supported: true }, filter: { supported: true } });
    const types = await scim('GET', '/ResourceTypes');
    expect((types.body.Resources as { id: string }[]).map((r) => r.id)).toEqual(['User', 'Group']);
    expect((await scim('GET', '/Schemas')).status).toBe(200);
    expect((await scim('GET', '/Users', undefined, 'not-a-real-token-at-all-000')).status).toBe(401);
    const asUser = await w.inject({ method: 'GET', url: '/scim/v2/Users', headers: w.people.admin.auth });
    expect(asUser.statusCode).toBe(401);
    expect(asUser.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  });

  test('create, filter by userName, page, patch (Entra ID style), replace; duplicates are 409 uniqueness', async () => {
    const created = await scim('POST', '/Users', { schemas: [SCIMMY.Schemas.User.id], userName: 'Mei.Lin@contoso.example', externalId: 'aad-1', name: { givenName: 'Mei', familyName: 'Lin' }, active: true });
    expect(created.status).toBe(201);
    const mei = readUser(created.body);
    expect(mei).toMatchObject({ userName: 'mei.lin@contoso.example', displayName: 'Mei Lin', active: true });

    const dup = await scim('POST', '/Users', { schemas: [SCIMMY.Schemas.User.id], userName: 'mei.lin@contoso.example' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ status: '409', scimType: 'uniqueness' });

    // Entra ID's first call for any user: does it exist already?
    const found = await scim('GET', `/Users${search('userName eq "Mei.Lin@contoso.example"')}`);
    const list = new SCIMMY.Messages.ListResponse(found.body as never);
    expect(list.totalResults).toBe(1);
    expect(readUser(list.Resources[0]).id).toBe(mei.id);
    expect((await scim('GET', `/Users${search('userName eq "nobody@contoso.example"')}`)).body).toMatchObject({ totalResults: 0, Resources: [] });
    const bad = await scim('GET', `/Users?filter=${encodeURIComponent('title sw "x"')}`);
    expect(bad).toMatchObject({ status: 400, body: { scimType: 'invalidFilter' } });

    // Paging as Okta does it: startIndex is 1-based.
    const all = await scim('GET', '/Users?startIndex=1&count=2');
    const page2 = await scim('GET', '/Users?startIndex=3&count=2');
    expect(all.body).toMatchObject({ startIndex: 1, itemsPerPage: 2 });
    expect(page2.body.startIndex).toBe(3);
    const ids = [...(all.body.Resources as { id: string }[]), ...(page2.body.Resources as { id: string }[])].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.body.totalResults).toBe(page2.body.totalResults);

    // Entra ID: "Replace" with a capital and a path; a no-path replace with a value object.
    const patched = await scim('PATCH', `/Users/${mei.id}`, patchOp([{ op: 'Replace', path: 'displayName', value: 'Mei Lin (Shanghai)' } as never, { op: 'replace', value: { externalId: 'aad-1b' } }]));
    expect(patched.status).toBe(200);
    expect(readUser(patched.body).displayName).toBe('Mei Lin (Shanghai)');
    expect(patched.body.externalId).toBe('aad-1b');

    const replaced = await scim('PUT', `/Users/${mei.id}`, { schemas: [SCIMMY.Schemas.User.id], userName: 'mei.lin@contoso.example', displayName: 'Mei Lin', externalId: 'aad-1b', active: true });
    expect(readUser(replaced.body).displayName).toBe('Mei Lin');

    const audit = await w.inject({ method: 'GET', url: `/admin/audit?entity=person&entityId=${mei.id}`, headers: w.people.admin.auth });
    const entries = audit.json<{ entries: { actor: string; action: string; before: { displayName?: string } | null; after: { displayName?: string } }[] }>().entries;
    expect(entries.map((e) => `${e.actor} ${e.action}`)).toEqual(['scim:entra person.update', 'scim:entra person.update', 'scim:entra person.create']);
    expect(entries[1]).toMatchObject({ before: { displayName: 'Mei Lin' }, after: { displayName: 'Mei Lin (Shanghai)' } });
  });

  test('groups map to teams: create with members, add and remove a member by PATCH', async () => {
    const a = readUser((await scim('POST', '/Users', { schemas: [SCIMMY.Schemas.User.id], userName: 'grp.a@contoso.example' })).body);
    const b = readUser((await scim('POST', '/Users', { schemas: [SCIMMY.Schemas.User.id], userName: 'grp.b@contoso.example' })).body);
    const created = await scim('POST', '/Groups', { schemas: [SCIMMY.Schemas.Group.id], displayName: 'Team Taipei', externalId: 'grp-1', members: [{ value: a.id }] });
    expect(created.status).toBe(201);
    const group = readGroup(created.body);
    expect(group.members?.map((m) => m.value)).toEqual([a.id]);
    const teams = await w.inject({ method: 'GET', url: '/admin/teams', headers: w.people.admin.auth });
    expect(teams.json<{ teams: { id: string; name: string; memberCount: number }[] }>().teams.find((t) => t.id === group.id)).toMatchObject({ name: 'Team Taipei', memberCount: 1 });

    expect((await scim('PATCH', `/Groups/${group.id}`, patchOp([{ op: 'add', path: 'members', value: [{ value: b.id }] }]))).status).toBe(204);
    expect((await scim('PATCH', `/Groups/${group.id}`, patchOp([{ op: 'remove', path: `members[value eq "${a.id}"]` }]))).status).toBe(204);
    const after = readGroup((await scim('GET', `/Groups/${group.id}`)).body);
    expect(after.members?.map((m) => m.value)).toEqual([b.id]);
    // The person's teams follow: the user's groups and the console agree.
    expect((await scim('GET', `/Users/${b.id}`)).body.groups).toEqual([expect.objectContaining({ value: group.id })]);
    expect((await scim('GET', `/Groups${search('displayName eq "Team Taipei"')}`)).body.totalResults).toBe(1);
  });

  test('deactivation (active=false) ends the person\'s sessions and closes their open sockets within a heartbeat', async () => {
    const person = readUser((await scim('POST', '/Users', { schemas: [SCIMMY.Schemas.User.id], userName: 'leaver@contoso.example' })).body);
    await w.db.query('insert into team_members (team_id, user_id) values ($1, $2)', [w.berlin, person.id]);
    // Signed in (as single sign-on would leave them): a session and an access token.
    const { createSession } = await import('../auth/sessions');
    const { createTokenService } = await import('../auth/tokens');
    const { secret } = await import('../../tests/support/server/authzWorld');
    const { sessionId } = await createSession(w.db, person.id, 3600);
    const access = await createTokenService(secret, 3600).signAccess({ sub: person.id, role: 'agent', sid: sessionId });
    const socket = new WebSocket(`${base}/sync/poke`);
    const closed = new Promise<{ code: number; at: number }>((resolve) => socket.on('close', (code) => resolve({ code, at: Date.now() })));
    const ready = new Promise<void>((resolve) => socket.on('message', (m) => String(m).includes('ready') && resolve()));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve(socket.send(JSON.stringify({ type: 'auth', token: access, clientId: randomUUID() }))));
      socket.once('error', reject);
    });
    await ready;
    expect((await w.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${access}` } })).statusCode).toBe(200);

    const since = Date.now();
    const off = await scim('PATCH', `/Users/${person.id}`, patchOp([{ op: 'Replace', path: 'active', value: 'False' } as never]));
    expect(off.status).toBe(200);
    expect(readUser(off.body).active).toBe(false);
    const result = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), heartbeatMs * 2 + 2000))]);
    expect(result?.code).toBe(4401);
    expect(result!.at - since).toBeLessThan(heartbeatMs * 2 + 2000);
    expect((await w.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${access}` } })).statusCode).toBe(401);

    // DELETE: gone from the provider's view of the person, kept (deactivated) for the record of their work.
    expect((await scim('DELETE', `/Users/${person.id}`)).status).toBe(204);
    const people = await w.inject({ method: 'GET', url: '/admin/people', headers: w.people.admin.auth });
    expect(people.json<{ people: { id: string; active: boolean; managedBy: string | null }[] }>().people.find((p) => p.id === person.id)).toMatchObject({ active: false, managedBy: null });
  });
});
