import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { QuickReply } from '../../core/replies/model';
import type { Person } from '../sync/testWorld';
import { type ChatWorld, createChatWorld } from './testKit';

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
