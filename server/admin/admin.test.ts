import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AdminPerson, AdminQueue, AdminTeam, AuditEntry, ImportResult } from '../../core/admin/wire';
import { createSecurityWorld, type SecurityWorld } from '../../tests/support/server/authzWorld';

/** Issue 16: the admin API as an admin and a lead use it, against PGlite through the real server. */

let w: SecurityWorld;
beforeAll(async () => {
  w = await createSecurityWorld();
});
afterAll(async () => {
  await w?.close();
});

const as = (who: 'admin' | 'lead' | 'agent') => w.people[who].auth;
async function call<T>(who: 'admin' | 'lead' | 'agent', method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown): Promise<{ status: number; body: T }> {
  const res = await w.inject({ method, url, headers: as(who), ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json<T>() };
}
const counts = async () => {
  const { rows } = await w.db.query<{ users: number; teams: number; audit: number; queues: number }>(
    'select (select count(*)::int from users) users, (select count(*)::int from teams) teams, (select count(*)::int from admin_audit) audit, (select count(*)::int from chat_queues) queues',
  );
  return rows[0]!;
};
const lastAudit = async (entity: string, entityId: string) => (await call<{ entries: AuditEntry[] }>('admin', 'GET', `/admin/audit?entity=${entity}&entityId=${entityId}`)).body.entries[0]!;

describe('admin: team, queue and agent with an extension', () => {
  test('an unknown time zone is refused with a clear message and nothing is written', async () => {
    const before = await counts();
    const res = await call<{ error: { message: string } }>('admin', 'POST', '/admin/teams', { name: 'Team Lisbon', timeZone: 'Europe/Atlantis' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Unknown time zone "Europe/Atlantis"');
    expect(await counts()).toEqual(before);
  });

  test('admin creates a team, a queue and an agent; each change is audited with before and after', async () => {
    const team = await call<AdminTeam>('admin', 'POST', '/admin/teams', { name: 'Team Lisbon', language: 'en', timeZone: 'Europe/Lisbon' });
    expect(team.status).toBe(201);
    expect(team.body).toMatchObject({ name: 'Team Lisbon', timeZone: 'Europe/Lisbon', memberCount: 0 });
    expect(await lastAudit('team', team.body.id)).toMatchObject({ actor: 'admin', action: 'team.create', before: null, after: { name: 'Team Lisbon' } });

    const queue = await call<AdminQueue>('admin', 'POST', '/admin/queues', { name: 'Lisbon Portuguese product', teamId: team.body.id, language: 'en', country: 'pt', product: 'Lisbon-Box' });
    expect(queue.status).toBe(201);
    expect(queue.body).toMatchObject({ country: 'PT', product: 'Lisbon-Box', mode: 'offer' });

    const agent = await call<AdminPerson>('admin', 'POST', '/admin/people', {
      username: 'Ana.Silva',
      displayName: 'Ana Silva',
      extension: '3101',
      teamIds: [team.body.id],
      skills: ['billing'],
      languages: ['en'],
      password: 'a-good-long-password',
    });
    expect(agent.status).toBe(201);
    expect(agent.body).toMatchObject({ username: 'ana.silva', extension: '3101', teamIds: [team.body.id], active: true, ssoOnly: false });
    // The SIP credentials are where Kamailio's auth_db reads them on PostgreSQL: the sip_subscriber view.
    const { rows } = await w.db.query<{ username: string; ha1: string }>('select username, ha1 from sip_subscriber where username = $1', ['3101']);
    const { rows: secret } = await w.db.query<{ sip_password: string }>('select sip_password from users where extension = $1', ['3101']);
    expect(rows[0]?.ha1).toBe(createHash('md5').update(`3101:127.0.0.1:${secret[0]!.sip_password}`).digest('hex'));

    const edited = await call<AdminPerson>('admin', 'PATCH', `/admin/people/${agent.body.id}`, { role: 'lead', skills: ['billing', 'returns'] });
    expect(edited.status).toBe(200);
    const entry = await lastAudit('person', agent.body.id);
    expect(entry).toMatchObject({ action: 'person.update', actor: 'admin', before: { role: 'agent', skills: ['billing'] }, after: { role: 'lead', skills: ['billing', 'returns'] } });
    expect(JSON.stringify(entry)).not.toContain(secret[0]!.sip_password);
  });

  test('duplicate username or extension: 409 naming the clash, nothing half-written', async () => {
    const before = await counts();
    const dupUser = await call<{ error: { code: string; message: string } }>('admin', 'POST', '/admin/people', { username: 'BERLIN-AGENT', displayName: 'Again' });
    expect(dupUser.status).toBe(409);
    expect(dupUser.body.error.message).toBe('The username "berlin-agent" is already taken.');
    const dupExt = await call<{ error: { message: string } }>('admin', 'POST', '/admin/people', { username: 'fresh', displayName: 'Fresh', extension: '2001', teamIds: [w.berlin] });
    expect(dupExt.status).toBe(409);
    expect(dupExt.body.error.message).toBe("Extension 2001 is already berlin-agent's.");
    const dupTeam = await call<{ error: { message: string } }>('admin', 'POST', '/admin/teams', { name: 'team berlin' });
    expect(dupTeam.status).toBe(409);
    const sameRouting = await call<{ error: { message: string } }>('admin', 'POST', '/admin/queues', { name: 'Copy', teamId: w.shanghai, language: 'en' });
    expect(sameRouting.status).toBe(409);
    expect(sameRouting.body.error.message).toContain('Berlin English');
    expect(await counts()).toEqual(before);
  });

  test('deactivating ends the person\'s sessions at once and takes them out of the SIP table', async () => {
    const agent = await call<AdminPerson>('admin', 'POST', '/admin/people', { username: 'leaving', displayName: 'Leaving Soon', extension: '3102', teamIds: [w.berlin], password: 'a-good-long-password' });
    const login = await w.inject({ method: 'POST', url: '/auth/login', payload: { username: 'leaving', password: 'a-good-long-password' } });
    expect(login.statusCode).toBe(200);
    const auth = { authorization: `Bearer ${login.json<{ accessToken: string }>().accessToken}` };
    expect((await w.inject({ method: 'GET', url: '/me', headers: auth })).statusCode).toBe(200);
    const off = await call<AdminPerson>('admin', 'POST', `/admin/people/${agent.body.id}/deactivate`);
    expect(off.body.active).toBe(false);
    expect((await w.inject({ method: 'GET', url: '/me', headers: auth })).statusCode).toBe(401);
    expect((await w.db.query('select 1 from sip_subscriber where username = $1', ['3102'])).rows).toHaveLength(0);
    expect((await w.db.query('select 1 from sessions where user_id = $1 and revoked_at is null', [agent.body.id])).rows).toHaveLength(0);
    expect(await lastAudit('person', agent.body.id)).toMatchObject({ action: 'person.deactivate', before: { active: true }, after: { active: false } });
  });

  test('rotating the SIP password returns the new one once and changes what the registrar reads', async () => {
    const agent = await call<AdminPerson>('admin', 'POST', '/admin/people', { username: 'rotating', displayName: 'Rotating', extension: '3103', teamIds: [w.berlin] });
    const ha1 = async () => (await w.db.query<{ ha1: string }>('select ha1 from sip_subscriber where username = $1', ['3103'])).rows[0]!.ha1;
    const old = await ha1();
    const rotated = await call<{ secret: string }>('admin', 'POST', `/admin/people/${agent.body.id}/sip-password`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await ha1()).not.toBe(old);
    expect(await ha1()).toBe(createHash('md5').update(`3103:127.0.0.1:${rotated.body.secret}`).digest('hex'));
  });
});

describe('a lead', () => {
  test('sees only their teams and changes only skills, languages and capacity of their members', async () => {
    const people = await call<{ people: AdminPerson[] }>('lead', 'GET', '/admin/people');
    expect(people.body.people.every((p) => p.teamIds.includes(w.berlin))).toBe(true);
    expect(people.body.people.map((p) => p.username)).not.toContain('shanghai-agent');
    const agent = w.people.agent.id;
    expect((await call('lead', 'PATCH', `/admin/people/${agent}`, { skills: ['returns'], maxChats: 4 })).status).toBe(200);
    const role = await call<{ error: { message: string } }>('lead', 'PATCH', `/admin/people/${agent}`, { role: 'admin' });
    expect(role.status).toBe(403);
    expect(role.body.error.message).toBe('Only admins can change role.');
    expect((await call('lead', 'PATCH', `/admin/people/${w.people.otherAgent.id}`, { skills: ['x'] })).status).toBe(403);
    expect((await call('lead', 'POST', '/admin/queues', { name: 'Not mine', teamId: w.shanghai, language: 'zh-TW' })).status).toBe(403);
  });
});

describe('CSV import', () => {
  const header = 'username,display_name,role,extension,teams,skills,password';
  test('a dry run lists every problem of every row; the real run with problems writes nothing', async () => {
    const csv = [
      header,
      'new.one,New One,agent,3201,Team Berlin,billing,',
      'berlin-agent,Taken Name,agent,,Team Berlin,,',
      'new.two,,wizard,3201,Team Nowhere,,short',
      '"new.three","Three, with a comma",lead,2001,Team Berlin;Team Shanghai,,',
      'new.one,Dup In File,agent,,,,',
    ].join('\n');
    const before = await counts();
    const dry = await call<ImportResult>('admin', 'POST', '/admin/people/import', { csv, dryRun: true });
    expect(dry.status).toBe(200);
    const said = dry.body.problems.map((p) => `${p.line} ${p.field}: ${p.message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        '3 username: the username "berlin-agent" is already taken',
        '4 teams: no team named "Team Nowhere"',
        expect.stringMatching(/^4 display_name: /),
        expect.stringMatching(/^4 role: /),
        expect.stringMatching(/^4 password: /),
        "5 extension: extension 2001 is already berlin-agent's",
        '6 username: "new.one" is also on line 2',
      ]),
    );
    expect(dry.body.problems.filter((p) => p.line === 4).map((p) => p.field).sort()).toEqual(['display_name', 'password', 'role', 'teams']);
    const real = await call<ImportResult>('admin', 'POST', '/admin/people/import', { csv, dryRun: false });
    expect(real.body).toMatchObject({ created: 0 });
    expect(real.body.problems.length).toBe(dry.body.problems.length);
    expect(await counts()).toEqual(before);
  });

  test('a clean file: the dry run writes nothing, the real run writes every row, each audited', async () => {
    const csv = `\ufeff${header}\nimp.a,Import A,agent,3301,Team Berlin,billing;returns,\nimp.b,"Import ""B""",agent,3302,Team Shanghai,,\n`;
    const before = await counts();
    expect((await call<ImportResult>('admin', 'POST', '/admin/people/import', { csv, dryRun: true })).body).toEqual({ dryRun: true, rows: 2, created: 0, problems: [] });
    expect(await counts()).toEqual(before);
    expect((await call<ImportResult>('admin', 'POST', '/admin/people/import', { csv, dryRun: false })).body).toMatchObject({ created: 2, problems: [] });
    const after = await counts();
    expect(after.users).toBe(before.users + 2);
    expect(after.audit).toBe(before.audit + 2);
    const b = (await call<{ people: AdminPerson[] }>('admin', 'GET', '/admin/people')).body.people.find((p) => p.username === 'imp.b');
    expect(b).toMatchObject({ displayName: 'Import "B"', extension: '3302', teamIds: [w.shanghai], ssoOnly: true });
  });

  test('a file that is not CSV is refused as a whole', async () => {
    const res = await call<{ error: { message: string } }>('admin', 'POST', '/admin/people/import', { csv: 'username,display_name\n"open quote,x\n', dryRun: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^The file is not valid CSV/);
  });
});

describe('changes made outside the console are audited too', () => {
  test('break reasons, floor settings and SLA settings: who, before and after', async () => {
    const reasons = await w.inject({
      method: 'PUT',
      url: `/teams/${w.berlin}/break-reasons`,
      headers: as('lead'),
      payload: { reasons: [{ code: 'training', labels: { en: 'Training', 'zh-CN': '培训', 'zh-TW': '培訓' } }] },
    });
    expect(reasons.statusCode).toBe(200);
    const floor = await w.inject({ method: 'PUT', url: `/teams/${w.berlin}/floor-settings`, headers: as('lead'), payload: { wrapUpLimitSeconds: 120, wrapUpNext: 'available', answerTargetSeconds: 30, timeZone: 'Europe/Berlin' } });
    expect(floor.statusCode).toBe(200);
    const sla = await w.inject({ method: 'PUT', url: `/sla/teams/${w.berlin}/settings`, headers: as('lead'), payload: { timeZone: 'Europe/Berlin', hours: [], holidays: [], policies: [] } });
    expect(sla.statusCode).toBe(200);
    const entries = (await call<{ entries: AuditEntry[] }>('admin', 'GET', `/admin/audit?entity=team&entityId=${w.berlin}`)).body.entries;
    const byAction = new Map(entries.map((e) => [e.action, e]));
    expect(byAction.get('break-reasons.update')).toMatchObject({ actor: 'berlin-lead', before: { reasons: [] }, after: { reasons: [expect.objectContaining({ code: 'training' })] } });
    expect(byAction.get('floor-settings.update')).toMatchObject({ actor: 'berlin-lead', after: { wrapUpLimitSeconds: 120, answerTargetSeconds: 30 } });
    expect(byAction.get('sla-settings.update')).toMatchObject({ actor: 'berlin-lead', after: { timeZone: 'Europe/Berlin' } });
  });
});
