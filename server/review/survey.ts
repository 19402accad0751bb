import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Locale } from '../../core/locale';
import type { Queryable } from '../db/db';
import { actorOf } from '../http/actor';
import type { AppContext } from '../http/context';
import { HttpError, forbidden, notFound, parseWith } from '../http/errors';
import { mayReview } from './routes';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
/** A follow-up is due within four hours: the customer's answer is fresh and the issue asks "at once". */
const followUpMs = 4 * 3600_000;
const linkTtlMs = 30 * 86_400_000;

/** Makes (or replaces) the survey link of a conversation; the token is only ever in the link. */
export async function createSurveyLink(db: Queryable, conversationId: string, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `insert into survey_links (token_hash, conversation_id, created_at, expires_at) values ($1, $2, $3, $4)
     on conflict (conversation_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at, expires_at = excluded.expires_at`,
    [hash(token), conversationId, now, new Date(now.getTime() + linkTtlMs)],
  );
  return token;
}

const text: Record<Locale, { title: string; score: string; liked: string; disliked: string; improve: string; send: string; thanks: string; done: string }> = {
  en: { title: 'How did we do?', score: 'Your rating (1 = poor, 5 = excellent)', liked: 'What did you like?', disliked: "What didn't you like?", improve: 'How can we improve next time?', send: 'Send', thanks: 'Thank you for your answer.', done: 'This survey has already been answered.' },
  'zh-CN': { title: '您对我们的服务满意吗？', score: '您的评分（1 = 很差，5 = 非常好）', liked: '您喜欢哪些方面？', disliked: '您不喜欢哪些方面？', improve: '我们下次如何改进？', send: '提交', thanks: '感谢您的回答。', done: '此调查已经回答过了。' },
  'zh-TW': { title: '您對我們的服務滿意嗎？', score: '您的評分（1 = 很差，5 = 非常好）', liked: '您喜歡哪些方面？', disliked: '您不喜歡哪些方面？', improve: '我們下次如何改進？', send: '送出', thanks: '感謝您的回答。', done: '此調查已經回答過了。' },
};

// Only our own fixed strings go into the page; nothing the customer wrote is echoed back.
const page = (lang: Locale, body: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${text[lang].title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto">${body}</body></html>`;

function form(lang: Locale, token: string): string {
  const t = text[lang];
  const radios = [1, 2, 3, 4, 5].map((n) => `<label><input type="radio" name="score" value="${n}" required> ${n}</label>`).join(' ');
  const area = (name: string, label: string) => `<p><label>${label}<br><textarea name="${name}" maxlength="2000" rows="3" style="width:100%"></textarea></label></p>`;
  return `<h1>${t.title}</h1><form method="post" action="/survey/${token}"><p>${t.score}<br>${radios}</p>${area('liked', t.liked)}${area('disliked', t.disliked)}${area('improve', t.improve)}<button type="submit">${t.send}</button></form>`;
}

const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a survey link') });
const Answer = z.object({
  score: z.coerce.number().int().min(1).max(5),
  liked: z.string().max(2000).default(''),
  disliked: z.string().max(2000).default(''),
  improve: z.string().max(2000).default(''),
});
const FollowUpQuery = z.object({ teamId: z.uuid('must be a team id') }).strict();

type LinkRow = { conversation_id: string; ticket_id: string; team_id: string; language: Locale; expired: boolean; answered: boolean };

async function linkOf(db: Queryable, token: string, now: Date): Promise<LinkRow> {
  const { rows } = await db.query<LinkRow>(
    `select c.id as conversation_id, c.ticket_id, c.team_id, c.language, l.expires_at < $2 as expired,
            exists (select 1 from survey_responses s where s.conversation_id = c.id) as answered
       from survey_links l join conversations c on c.id = l.conversation_id where l.token_hash = $1`,
    [hash(token), now],
  );
  if (!rows[0] || rows[0].expired) throw notFound('This survey link is not valid.');
  return rows[0];
}

/**
 * The survey page for e-mail and messaging customers (a link, no sign-in: the link is the authorization),
 * in the conversation's language, and the lead's follow-ups. A score of 1 or 2, or any "didn't like" text,
 * creates a follow-up task for the team's lead, due in four hours, in the same transaction as the answer.
 */
export function surveyRoutes(app: FastifyInstance, ctx: AppContext, options: { now?: () => number } = {}): void {
  const now = () => new Date((options.now ?? Date.now)());
  const { db } = ctx;

  app.get('/survey/:token', async (request, reply) => {
    const { token } = parseWith(TokenParams, request.params, 'path');
    const link = await linkOf(db, token, now());
    reply.type('text/html; charset=utf-8');
    return page(link.language, link.answered ? `<p>${text[link.language].done}</p>` : form(link.language, token));
  });

  const answerRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token } = parseWith(TokenParams, request.params, 'path');
    const answer = parseWith(Answer, request.body);
    const at = now();
    const link = await linkOf(db, token, at);
    const created = await db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `insert into survey_responses (conversation_id, ticket_id, liked, disliked, improve, score, created_at) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (conversation_id) do nothing returning conversation_id`,
        [link.conversation_id, link.ticket_id, answer.liked, answer.disliked, answer.improve, answer.score, at],
      );
      if (!rows[0]) return false;
      const reason = answer.score <= 2 ? 'low-score' : answer.disliked.trim() ? 'disliked' : null;
      if (reason) {
        await tx.query('insert into follow_up_tasks (team_id, conversation_id, ticket_id, reason, score, due_at, created_at) values ($1, $2, $3, $4, $5, $6, $7)', [
          link.team_id, link.conversation_id, link.ticket_id, reason, answer.score, new Date(at.getTime() + followUpMs), at,
        ]);
      }
      return true;
    });
    if (!created) throw new HttpError(409, 'conflict', text[link.language].done);
    reply.type('text/html; charset=utf-8');
    return page(link.language, `<p>${text[link.language].thanks}</p>`);
  };

  // A plain HTML form posts urlencoded, so the page needs no script; the parser is scoped to the survey
  // route, every other route still refuses that content type.
  void app.register(async (scoped) => {
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scoped.post('/survey/:token', answerRoute);
  });

  app.get('/review/follow-ups', async (request) => {
    const actor = await actorOf(ctx, request);
    const q = parseWith(FollowUpQuery, request.query, 'query');
    if (!mayReview(actor, q.teamId)) throw forbidden('You can only see the follow-ups of the teams you lead.');
    const { rows } = await db.query<{ id: string; conversation_id: string; reason: string; score: number; due_at: Date; done_at: Date | null; number: number }>(
      `select f.id, f.conversation_id, f.reason, f.score, f.due_at, f.done_at, t.number
         from follow_up_tasks f join tickets t on t.id = f.ticket_id where f.team_id = $1 order by f.done_at nulls first, f.due_at limit 200`,
      [q.teamId],
    );
    return { followUps: rows.map((r) => ({ id: r.id, conversationId: r.conversation_id, ticketNumber: r.number, reason: r.reason, score: r.score, dueAt: r.due_at.getTime(), doneAt: r.done_at?.getTime() ?? null })) };
  });
}
