import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { QuickReply } from '../../core/replies/model';
import type { Person } from '../../tests/support/server/syncWorld';
import { type ChatWorld, createChatWorld } from '../../tests/support/server/chatWorld';

let w: ChatWorld;
beforeEach(async () => {
  w = await createChatWorld();
  const insert = (teamId: string | null, ownerId: string | null, shortcut: string) =>
    w.db.query("insert into quick_replies (team_id, owner_id, category, shortcut, title, bodies) values ($1, $2, 'c', $3, $3, $4)", [
      teamId, ownerId, shortcut, JSON.stringify({ en: `Hi {{customer.name}} (${shortcut})` }),
    ]);
  await insert(null, null, 'hello');
  await insert(w.teamA, null, 'team-a');
  await insert(w.teamB, null, 'team-b');
  await insert(null, w.anna.id, 'anna-own');
  await insert(null, w.bo.id, 'bo-own');
});
afterEach(() => w.close());

const list = async (who: Person) => {
  const res = await w.app.inject({ method: 'GET', url: '/quick-replies', headers: who.auth });
  expect(res.statusCode).toBe(200);
  return res.json<{ replies: QuickReply[] }>().replies;
};
const write = (who: Person, method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) => w.app.inject({ method, url, headers: who.auth, payload });
const body = { category: 'shipping', shortcut: 'late', title: 'Late parcel', bodies: { en: 'Sorry {{customer.name}}, it is late.' } };

describe('quick replies', () => {
  test("an agent gets everyone's, their teams' and their own replies, never another team's or a colleague's", async () => {
    const replies = await list(w.anna);
    expect(replies.map((r) => [r.shortcut, r.scope]).sort()).toEqual([['anna-own', 'personal'], ['hello', 'global'], ['team-a', 'team']]);
    expect(await w.app.inject({ method: 'GET', url: '/quick-replies' }).then((r) => r.statusCode)).toBe(401);
  });

  test('an agent writes personal replies; team replies only as a lead of that team', async () => {
    const mine = await write(w.anna, 'POST', '/quick-replies', body);
    expect(mine.statusCode).toBe(200);
    expect(mine.json<QuickReply>()).toMatchObject({ scope: 'personal', ownerId: w.anna.id, shortcut: 'late' });
    expect((await list(w.bo)).some((r) => r.shortcut === 'late')).toBe(false);

    expect((await write(w.anna, 'POST', '/quick-replies', { ...body, teamId: w.teamA })).statusCode).toBe(403);
    expect((await write(w.lead, 'POST', '/quick-replies', { ...body, teamId: w.teamB })).statusCode).toBe(403);
    const team = await write(w.lead, 'POST', '/quick-replies', { ...body, teamId: w.teamA });
    expect(team.json<QuickReply>()).toMatchObject({ scope: 'team', teamId: w.teamA });
    expect((await list(w.bo)).some((r) => r.id === team.json<QuickReply>().id)).toBe(true);

    // Bad input is a 400 with a reason, and nothing is stored.
    const bad = await write(w.anna, 'POST', '/quick-replies', { ...body, shortcut: 'Not A Shortcut' });
    expect(bad.statusCode).toBe(400);
    expect((await list(w.anna)).filter((r) => r.shortcut === 'late' && r.scope === 'personal')).toHaveLength(1);
  });

  test('edits: the owner, or a lead of the team; nobody edits a colleague\'s or everyone\'s reply here', async () => {
    const all = await list(w.lead);
    const id = (s: string) => all.find((r) => r.shortcut === s)?.id ?? '';
    const annaOwn = (await list(w.anna)).find((r) => r.shortcut === 'anna-own')!.id;
    const edited = await write(w.anna, 'PUT', `/quick-replies/${annaOwn}`, { ...body, shortcut: 'anna-late' });
    expect(edited.json<QuickReply>()).toMatchObject({ shortcut: 'anna-late', scope: 'personal' });
    expect((await write(w.bo, 'PUT', `/quick-replies/${annaOwn}`, body)).statusCode).toBe(404);
    expect((await write(w.anna, 'PUT', `/quick-replies/${id('team-a')}`, body)).statusCode).toBe(403);
    expect((await write(w.lead, 'PUT', `/quick-replies/${id('team-a')}`, body)).statusCode).toBe(200);
    expect((await write(w.lead, 'PUT', `/quick-replies/${id('hello')}`, body)).statusCode).toBe(403);
  });

  test('a use bumps the count the ranking reads', async () => {
    const hello = (await list(w.anna)).find((r) => r.shortcut === 'hello')!;
    const res = await w.app.inject({ method: 'POST', url: `/quick-replies/${hello.id}/use`, headers: w.anna.auth });
    expect(res.statusCode).toBe(204);
    expect((await list(w.anna)).find((r) => r.id === hello.id)!.useCount).toBe(hello.useCount + 1);
    const other = (await list(w.zed)).find((r) => r.shortcut === 'team-b')!;
    expect((await w.app.inject({ method: 'POST', url: `/quick-replies/${other.id}/use`, headers: w.anna.auth })).statusCode).toBe(404);
  });
});

describe('issue 12 item 15 (quick reply use count)', () => {
  test('issue 12 item 15: a use is counted only on a reply the caller can see; anything else is 404 and counts nothing', async () => {
    const count = async (shortcut: string) =>
      (await w.db.query<{ use_count: number }>('select use_count from quick_replies where shortcut = $1', [shortcut])).rows[0]!.use_count;
    const idOf = async (shortcut: string) => (await w.db.query<{ id: string }>('select id from quick_replies where shortcut = $1', [shortcut])).rows[0]!.id;
    const use = async (who: Person, shortcut: string) => (await w.app.inject({ method: 'POST', url: `/quick-replies/${await idOf(shortcut)}/use`, headers: who.auth })).statusCode;
    // A colleague's personal reply, another team's reply: not in the caller's library, whoever the caller is.
    const outside = { anna: [w.anna, 'bo-own'], annaB: [w.anna, 'team-b'], lead: [w.lead, 'bo-own'], leadB: [w.lead, 'team-b'], admin: [w.admin, 'bo-own'], adminA: [w.admin, 'team-a'], zed: [w.zed, 'team-a'] } as const;
    for (const [name, [who, shortcut]] of Object.entries(outside)) expect(await use(who, shortcut), `${name} → ${shortcut}`).toBe(404);
    expect([await count('bo-own'), await count('team-a'), await count('team-b')]).toEqual([0, 0, 0]);
    expect((await list(w.admin)).some((r) => r.shortcut === 'bo-own')).toBe(false);
    // What the library shows is counted.
    expect([await use(w.bo, 'bo-own'), await use(w.anna, 'team-a'), await use(w.admin, 'hello')]).toEqual([204, 204, 204]);
    expect([await count('bo-own'), await count('team-a'), await count('hello')]).toEqual([1, 1, 1]);
  });
});

describe('issue 12 item 14 (one text policy): quick replies', () => {
  test('issue 12 item 14: a quick reply with NUL or a lone surrogate in its body, title or category is a 400 that says why, and nothing is stored', async () => {
    const before = (await list(w.anna)).length;
    for (const bad of [
      { ...body, bodies: { en: 'Hi\u0000there' } },
      { ...body, title: 'Late\u0000' },
      { ...body, category: 'ship\u0000' },
      { ...body, bodies: { en: 'Hi \uD800 there' } },
    ]) {
      const res = await write(w.anna, 'POST', '/quick-replies', bad);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(/NUL characters|unpaired UTF-16 surrogates/);
    }
    const own = (await list(w.anna)).find((r) => r.shortcut === 'anna-own')!;
    const put = await write(w.anna, 'PUT', `/quick-replies/${own.id}`, { ...body, bodies: { en: '\u0000' } });
    expect(put.statusCode, put.body).toBe(400);
    expect(await list(w.anna)).toHaveLength(before);
    // The same text without the NUL is an ordinary reply.
    expect((await write(w.anna, 'POST', '/quick-replies', { ...body, bodies: { en: 'Hi there' } })).statusCode).toBe(200);
  });
});

describe('quick replies written from the app (outbox resends, deletes)', () => {
  const id = '7d0c9a4e-1b2c-4d3e-8f40-5a6b7c8d9e01';

  test("a lead's team reply sent twice with the client's id is one reply, and its teammates see it", async () => {
    const first = await write(w.lead, 'POST', '/quick-replies', { ...body, id, teamId: w.teamA });
    expect(first.statusCode).toBe(200);
    const again = await write(w.lead, 'POST', '/quick-replies', { ...body, id, teamId: w.teamA, title: 'Late parcel (edited offline)' });
    expect(again.json<QuickReply>()).toMatchObject({ id, scope: 'team', teamId: w.teamA, title: 'Late parcel (edited offline)' });
    expect((await list(w.anna)).filter((r) => r.id === id)).toHaveLength(1);
    expect((await list(w.zed)).some((r) => r.id === id)).toBe(false);
  });

  test("an agent's resend with a team reply's id is refused and changes nothing; a colleague's id is not found", async () => {
    await write(w.lead, 'POST', '/quick-replies', { ...body, id, teamId: w.teamA });
    const refused = await write(w.anna, 'POST', '/quick-replies', { ...body, id, title: 'Hijacked' });
    expect(refused.statusCode).toBe(403);
    expect((await list(w.bo)).find((r) => r.id === id)?.title).toBe('Late parcel');

    const own = await write(w.bo, 'POST', '/quick-replies', { ...body, id: '7d0c9a4e-1b2c-4d3e-8f40-5a6b7c8d9e02' });
    expect(own.json<QuickReply>()).toMatchObject({ scope: 'personal', ownerId: w.bo.id });
    expect((await write(w.anna, 'POST', '/quick-replies', { ...body, id: own.json<QuickReply>().id })).statusCode).toBe(404);
  });

  test('deletes: a lead removes a team reply for the team; an agent may not, and may delete only their own', async () => {
    await write(w.lead, 'POST', '/quick-replies', { ...body, id, teamId: w.teamA });
    const del = (who: Person, replyId: string) => w.app.inject({ method: 'DELETE', url: `/quick-replies/${replyId}`, headers: who.auth });
    expect((await del(w.anna, id)).statusCode).toBe(403);
    expect((await list(w.bo)).some((r) => r.id === id)).toBe(true);
    expect((await del(w.lead, id)).statusCode).toBe(204);
    expect((await list(w.bo)).some((r) => r.id === id)).toBe(false);
    expect((await del(w.lead, id)).statusCode).toBe(404);

    const annaOwn = (await list(w.anna)).find((r) => r.shortcut === 'anna-own')!.id;
    expect((await del(w.bo, annaOwn)).statusCode).toBe(404);
    expect((await del(w.anna, annaOwn)).statusCode).toBe(204);
    const hello = (await list(w.anna)).find((r) => r.shortcut === 'hello')!.id;
    expect((await del(w.lead, hello)).statusCode).toBe(403);
  });
});
