import type { Queryable } from '../db/db';
import { findAbuse } from '../../core/mood/abuse';
import { scoreMessage } from './segmenter';

/**
 * When a conversation's mood warrants its team's lead (issue 20): the mean of the last three customer
 * messages at or below `lowAt`, or one message `dropBy` below the mean of the ones before it. One alert
 * per conversation per `quietMs` (an angry customer writing ten lines is one alert, not ten).
 */
export const moodRules = { lowAt: -0.45, dropBy: 0.9, window: 3, quietMs: 5 * 60_000 } as const;

export type Trigger = 'low' | 'drop';

/** Pure: the trigger, if any, for the newest score given the conversation's earlier scores (oldest first). */
export function triggerOf(earlier: readonly number[], score: number): Trigger | null {
  const recent = [...earlier.slice(-(moodRules.window - 1)), score];
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  if (recent.length >= 2 && mean <= moodRules.lowAt) return 'low';
  const before = earlier.slice(-moodRules.window);
  if (before.length > 0 && before.reduce((a, b) => a + b, 0) / before.length - score >= moodRules.dropBy) return 'drop';
  return null;
}

type MessageLike = { id: string; seq: number; author: string; kind: string; body: string };

/**
 * Called in the message's own transaction for every stored message; scores customer text only. Writes the
 * mood row and, when a rule fires and the conversation had no alert in the quiet time, an undelivered
 * alert that the alert scanner (routes.ts) sends to the team's leads.
 */
export async function recordMood(tx: Queryable, conv: { id: string; team_id: string }, message: MessageLike, now: Date): Promise<void> {
  if (message.author !== 'customer' || message.kind !== 'text') return;
  const mood = scoreMessage(message.body);
  const { rows: earlier } = await tx.query<{ score: number }>(
    'select score from (select score, seq from message_moods where conversation_id = $1 order by seq desc limit $2) r order by seq',
    [conv.id, moodRules.window],
  );
  await tx.query(
    'insert into message_moods (message_id, conversation_id, seq, score, negative, abuse_count, created_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing',
    [message.id, conv.id, message.seq, mood.score, mood.negative, findAbuse(message.body).length, now],
  );
  const trigger = triggerOf(earlier.map((r) => r.score), mood.score);
  if (!trigger) return;
  await tx.query(
    `insert into mood_alerts (conversation_id, team_id, kind, score, raised_at)
     select $1, $2, $3, $4, $5 where not exists (
       select 1 from mood_alerts where conversation_id = $1 and kind in ('low', 'drop') and raised_at > $5::timestamptz - make_interval(secs => $6))`,
    [conv.id, conv.team_id, trigger, mood.score, now, moodRules.quietMs / 1000],
  );
}
