import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createWorld, secret, type World } from '../../tests/support/server/syncWorld';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { seedReviewConversation } from './seed';
import { createSurveyLink } from './survey';

type FollowUps = { followUps: { conversationId: string; reason: string; score: number; dueAt: number }[] };

/** The survey link an e-mail customer gets: the page in their language, the answer, the lead's follow-up. */
describe('survey by link', () => {
  let w: World;
  let app: FastifyInstance;
  const now = Date.parse('2026-04-15T10:00:00Z');

  beforeAll(async () => {
    w = await createWorld();
    app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db: w.db, sync: { now: () => now, pruneEveryMs: 0 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const conversation = async (language: 'en' | 'zh-CN') => {
    const c = await seedReviewConversation(w.db, { teamId: w.teamA, agentId: w.anna.id, at: new Date(now - 3600_000), channel: 'email' });
    await w.db.query('update conversations set language = $2 where id = $1', [c.id, language]);
    return { ...c, token: await createSurveyLink(w.db, c.id, new Date(now)) };
  };
  const followUps = async () => (await app.inject({ method: 'GET', url: `/review/follow-ups?teamId=${w.teamA}`, headers: w.lead.auth })).json<FollowUps>().followUps;

  test('the page is in the customer language; a score of 1 posted by the form creates the lead follow-up, due in four hours', async () => {
    const c = await conversation('zh-CN');
    const pageRes = await app.inject({ method: 'GET', url: `/survey/${c.token}` });
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.headers['content-type']).toContain('text/html');
    expect(pageRes.body).toContain('我们下次如何改进？');
    expect(pageRes.body).toContain('lang="zh-CN"');

    const form = new URLSearchParams({ score: '1', liked: '', disliked: '<script>alert(1)</script> 等太久', improve: '快一点' }).toString();
    const posted = await app.inject({ method: 'POST', url: `/survey/${c.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('感谢您的回答');
    expect(posted.body).not.toContain('<script>');
    const mine = (await followUps()).filter((f) => f.conversationId === c.id);
    expect(mine).toEqual([expect.objectContaining({ reason: 'low-score', score: 1, dueAt: now + 4 * 3600_000 })]);
    const { rows } = await w.db.query<{ score: number; disliked: string }>('select score, disliked from survey_responses where conversation_id = $1', [c.id]);
    expect(rows).toEqual([{ score: 1, disliked: '<script>alert(1)</script> 等太久' }]);

    // Answered once: a second post is refused and the page says so.
    const again = await app.inject({ method: 'POST', url: `/survey/${c.token}`, headers: { 'content-type': 'application/json' }, payload: { score: 5 } });
    expect(again.statusCode).toBe(409);
    expect((await app.inject({ method: 'GET', url: `/survey/${c.token}` })).body).toContain('此调查已经回答过了');
  });

  test('a good score without complaint creates no follow-up; bad input and unknown links are clear errors', async () => {
    const c = await conversation('en');
    expect((await app.inject({ method: 'POST', url: `/survey/${c.token}`, headers: { 'content-type': 'application/json' }, payload: { score: 9 } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/survey/${c.token}`, headers: { 'content-type': 'application/json' }, payload: { score: 5, liked: 'fast' } })).statusCode).toBe(200);
    expect((await followUps()).some((f) => f.conversationId === c.id)).toBe(false);
    expect((await app.inject({ method: 'GET', url: `/survey/${'x'.repeat(43)}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/survey/short' })).statusCode).toBe(400);
    // Another team's agent or lead sees no follow-ups of this team.
    expect((await app.inject({ method: 'GET', url: `/review/follow-ups?teamId=${w.teamA}`, headers: w.zed.auth })).statusCode).toBe(403);
  });
});
