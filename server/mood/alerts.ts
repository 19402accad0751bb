import type { Actor } from '../../core/tickets/scope';
import { maskAbuse } from '../../core/mood/abuse';
import type { MoodAlert } from '../../core/wire/mood';
import type { Queryable } from '../db/db';

/**
 * Mood alerts are for the leads of the conversation's team, nobody else (another team's lead gets
 * nothing), and admins in the list. Agents never get them: the alert is about their conversation.
 */
export const reachesLead = (actor: Actor, teamId: string) => actor.role === 'lead' && actor.teamIds.includes(teamId);
export const maySeeAlert = (actor: Actor, teamId: string) => actor.role === 'admin' || reachesLead(actor, teamId);

type AlertRow = {
  id: string;
  kind: MoodAlert['kind'];
  conversation_id: string;
  team_id: string;
  team_name: string;
  customer_name: string;
  assignee_id: string | null;
  assignee_name: string | null;
  score: number | null;
  raised_at: Date;
  acknowledged_at: Date | null;
};

const select = `select a.id, a.kind, a.conversation_id, a.team_id, tm.name as team_name, cu.name as customer_name, c.assignee_id,
    u.display_name as assignee_name, a.score, a.raised_at, a.acknowledged_at
  from mood_alerts a join conversations c on c.id = a.conversation_id join teams tm on tm.id = a.team_id
  join customers cu on cu.id = c.customer_id left join users u on u.id = c.assignee_id`;

/** The alerts with their last five customer-visible lines (insults masked: the lead reads them on the spot). */
async function toAlerts(q: Queryable, rows: AlertRow[]): Promise<MoodAlert[]> {
  if (rows.length === 0) return [];
  const { rows: lines } = await q.query<{ conversation_id: string; author: MoodAlert['lastMessages'][number]['author']; body: string; score: number | null; created_at: Date }>(
    `select m.conversation_id, m.author, m.body, mm.score, m.created_at from (
       select m.*, row_number() over (partition by m.conversation_id order by m.seq desc) as k from chat_messages m
       where m.conversation_id = any($1::uuid[]) and m.kind = 'text' and m.author in ('customer', 'agent')) m
     left join message_moods mm on mm.message_id = m.id where m.k <= 5 order by m.seq`,
    [[...new Set(rows.map((r) => r.conversation_id))]],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    conversationId: r.conversation_id,
    teamId: r.team_id,
    teamName: r.team_name,
    customerName: r.customer_name,
    agentId: r.assignee_id,
    agentName: r.assignee_name,
    score: r.score,
    raisedAt: r.raised_at.getTime(),
    acknowledgedAt: r.acknowledged_at ? r.acknowledged_at.getTime() : null,
    lastMessages: lines
      .filter((l) => l.conversation_id === r.conversation_id)
      .map((l) => ({ author: l.author, body: l.author === 'customer' ? maskAbuse(l.body) : l.body, score: l.score, at: l.created_at.getTime() })),
  }));
}

export async function loadAlerts(q: Queryable, ids: readonly string[]): Promise<MoodAlert[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<AlertRow>(`${select} where a.id = any($1::uuid[]) order by a.raised_at`, [ids]);
  return toAlerts(q, rows);
}

/** The caller's alerts of the last 24 hours, newest first. */
export async function listAlerts(q: Queryable, actor: Actor, now: Date): Promise<MoodAlert[]> {
  if (actor.role === 'agent') return [];
  const params: unknown[] = [new Date(now.getTime() - 86_400_000)];
  let scope = 'true';
  if (actor.role === 'lead') {
    params.push(actor.teamIds);
    scope = 'a.team_id = any($2::uuid[])';
  }
  const { rows } = await q.query<AlertRow>(`${select} where a.raised_at > $1 and ${scope} order by a.raised_at desc limit 200`, params);
  return toAlerts(q, rows);
}

/** Claims the alerts not yet sent (each instance sends only what it claimed: no alert goes out twice). */
export async function claimUndelivered(q: Queryable, now: Date): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `update mood_alerts set delivered_at = $1 where id in (
       select id from mood_alerts where delivered_at is null order by raised_at limit 100 for update skip locked) returning id`,
    [now],
  );
  return rows.map((r) => r.id);
}
