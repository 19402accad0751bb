import type { z } from 'zod';
import type { ReviewHit, ReviewRecord, ReviewSearchQuery, ReviewSearchResult } from '../../core/wire/review';
import type { Queryable } from '../db/db';

type Query = z.output<typeof ReviewSearchQuery>;

type HitRow = {
  id: string;
  team_id: string;
  channel: ReviewHit['channel'];
  state: string;
  assignee_id: string | null;
  agent_name: string | null;
  customer_name: string;
  customer_email: string | null;
  number: number;
  subject: string;
  tags: string[];
  score: number | null;
  created_at: Date;
  closed_at: Date | null;
  key: string;
};

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const hitColumns = `c.id, c.team_id, c.channel, c.state, c.assignee_id, u.display_name as agent_name, cu.name as customer_name,
  cu.email as customer_email, t.number, t.subject, t.tags, s.score, c.created_at, c.closed_at,
  ((extract(epoch from c.created_at) * 1000000)::bigint)::text || ':' || c.id::text as key`;

export const toHit = (r: HitRow): ReviewHit => ({
  id: r.id,
  teamId: r.team_id,
  channel: r.channel,
  state: r.state,
  agentId: r.assignee_id,
  agentName: r.agent_name,
  customerName: r.customer_name,
  customerEmail: r.customer_email,
  ticketNumber: r.number,
  ticketSubject: r.subject,
  tags: r.tags,
  csat: r.score,
  createdAt: r.created_at.getTime(),
  closedAt: r.closed_at ? r.closed_at.getTime() : null,
});

/**
 * One page of a review search over `teamIds` (null: every team, an admin without a team filter), newest
 * first. The page key is (created_at in microseconds, id), exact where a millisecond would not be, so a
 * page never repeats or skips a row created in the same millisecond. Rows older than the team's review
 * retention are out of reach whatever `from` says.
 */
export async function searchConversations(db: Queryable, teamIds: readonly string[] | null, q: Query, now: Date): Promise<ReviewSearchResult> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (teamIds) where.push(teamIds.length === 1 ? `c.team_id = ${arg(teamIds[0])}` : `c.team_id = any(${arg(teamIds)}::uuid[])`);
  where.push(`c.created_at >= ${arg(now)}::timestamptz - tm.review_retention_days * interval '1 day'`);
  if (q.agentId) where.push(`c.assignee_id = ${arg(q.agentId)}`);
  if (q.channel) where.push(`c.channel = ${arg(q.channel)}`);
  if (q.customer) {
    where.push(uuidLike.test(q.customer) ? `c.customer_id = ${arg(q.customer)}` : `c.customer_id in (select id from customers where lower(email) = lower(${arg(q.customer)}))`);
  }
  if (q.from) where.push(`c.created_at >= (${arg(q.from)}::date)::timestamp at time zone 'UTC'`);
  if (q.to) where.push(`c.created_at < (${arg(q.to)}::date + 1)::timestamp at time zone 'UTC'`);
  if (q.tag) where.push(`t.tags @> array[${arg(q.tag)}]::text[]`);
  if (q.ticket !== undefined) where.push(`t.number = ${arg(q.ticket)}`);
  if (q.csatMin !== undefined) where.push(`s.score >= ${arg(q.csatMin)}`);
  if (q.csatMax !== undefined) where.push(`s.score <= ${arg(q.csatMax)}`);
  if (q.after) {
    const [micros, id] = q.after.split(':') as [string, string];
    where.push(`(c.created_at, c.id) < (timestamptz 'epoch' + ${arg(micros)}::bigint * interval '1 microsecond', ${arg(id)}::uuid)`);
  }
  const limit = q.limit ?? 25;
  const { rows } = await db.query<HitRow>(
    `select ${hitColumns}
       from conversations c
       join teams tm on tm.id = c.team_id
       join tickets t on t.id = c.ticket_id
       join customers cu on cu.id = c.customer_id
       left join survey_responses s on s.conversation_id = c.id
       left join users u on u.id = c.assignee_id
      where ${where.join(' and ')}
      order by c.created_at desc, c.id desc
      limit ${arg(limit + 1)}`,
    args,
  );
  const page = rows.slice(0, limit);
  const { rows: ret } = teamIds && teamIds.length === 1
    ? await db.query<{ days: number }>('select review_retention_days as days from teams where id = $1', [teamIds[0]])
    : { rows: [{ days: 365 }] };
  return { hits: page.map(toHit), next: rows.length > limit ? page[page.length - 1]!.key : null, retentionDays: ret[0]?.days ?? 365 };
}

/** The conversation's team and creation time, for the scope and retention check before the record is read. */
export async function conversationScope(db: Queryable, id: string, now: Date): Promise<{ teamId: string; expired: boolean } | null> {
  const { rows } = await db.query<{ team_id: string; expired: boolean }>(
    `select c.team_id, c.created_at < $2::timestamptz - tm.review_retention_days * interval '1 day' as expired
       from conversations c join teams tm on tm.id = c.team_id where c.id = $1`,
    [id, now],
  );
  return rows[0] ? { teamId: rows[0].team_id, expired: rows[0].expired } : null;
}

/** The whole record a reviewer reads: every message (notes and whispers included), files, wrap-up, survey. */
export async function loadRecord(db: Queryable, id: string): Promise<ReviewRecord | null> {
  const { rows } = await db.query<HitRow & { language: string }>(
    `select ${hitColumns}, c.language
       from conversations c
       join tickets t on t.id = c.ticket_id
       join customers cu on cu.id = c.customer_id
       left join survey_responses s on s.conversation_id = c.id
       left join users u on u.id = c.assignee_id
      where c.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const [messages, files, events, survey] = await Promise.all([
    db.query<{ seq: number; author: ReviewRecord['messages'][number]['author']; author_name: string | null; kind: ReviewRecord['messages'][number]['kind']; body: string; attachment_id: string | null; created_at: Date }>(
      'select seq, author, author_name, kind, body, attachment_id, created_at from chat_messages where conversation_id = $1 order by seq',
      [id],
    ),
    db.query<{ id: string; name: string; mime: string; size: number; created_at: Date }>('select id, name, mime, size, created_at from chat_attachments where conversation_id = $1 order by created_at, id', [id]),
    db.query<{ kind: string; at: Date; data: Record<string, unknown> }>("select kind, at, data from contact_events where contact_id = $1 and kind in ('answered', 'ended', 'transferred', 'wrap_up') order by at, id", [id]),
    db.query<{ score: number; liked: string; disliked: string; improve: string; created_at: Date }>('select score, liked, disliked, improve, created_at from survey_responses where conversation_id = $1', [id]),
  ]);
  const answered = events.rows.find((e) => e.kind === 'answered');
  const ended = events.rows.find((e) => e.kind === 'ended');
  const wrap = events.rows.find((e) => e.kind === 'wrap_up');
  const s = survey.rows[0];
  return {
    conversation: {
      ...toHit(row),
      language: row.language,
      handleMs: answered && ended ? ended.at.getTime() - answered.at.getTime() : null,
      transfers: events.rows.filter((e) => e.kind === 'transferred').length,
    },
    messages: messages.rows.map((m) => ({ seq: m.seq, author: m.author, authorName: m.author_name, kind: m.kind, body: m.body, attachmentId: m.attachment_id, at: m.created_at.getTime() })),
    attachments: files.rows.map((f) => ({ id: f.id, name: f.name, mime: f.mime, size: f.size, at: f.created_at.getTime() })),
    wrapUp: wrap ? { wrapUpMs: Number(wrap.data.wrapUpMs ?? 0), disposition: typeof wrap.data.disposition === 'string' ? wrap.data.disposition : null, at: wrap.at.getTime() } : null,
    survey: s ? { score: s.score, liked: s.liked, disliked: s.disliked, improve: s.improve, at: s.created_at.getTime() } : null,
  };
}
