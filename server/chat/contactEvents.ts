import type { ContactEvent, ContactEventKind } from '../../core/kpi/contactEvents';
import type { Queryable } from '../db/db';
import { recordContactEvent } from '../kpi/events';
import { defaultFloor } from '../presence/settings';
import type { ConversationRow } from './rows';

/**
 * The chat side's contact events (core/kpi/contactEvents.ts), written in the transaction of the change they
 * describe: a conversation starting, being answered, first replied to, transferred, closed, surveyed.
 */
type Conv = Pick<ConversationRow, 'id' | 'team_id' | 'customer_id' | 'ticket_id' | 'channel'>;
type DataOf<K extends ContactEventKind> = Extract<ContactEvent, { kind: K }>['data'];

export async function contactEvent<K extends ContactEventKind>(
  tx: Queryable,
  conv: Conv,
  kind: K,
  at: Date,
  agentId: string | null,
  data: DataOf<K>,
  teamId: string = conv.team_id,
): Promise<void> {
  // An answer carries the team's answer target of the moment: "answered within target" stays what it was
  // when the target changes later (the wallboard and the KPI page both read it from here).
  if (kind === 'answered' && !('targetMs' in data)) {
    const { rows } = await tx.query<{ s: number | null }>('select answer_target_seconds as s from team_floor_settings where team_id = $1', [teamId]);
    data = { ...data, targetMs: (rows[0]?.s ?? defaultFloor.answerTargetSeconds) * 1000 } as DataOf<K>;
  }
  await recordContactEvent(tx, {
    kind,
    at,
    teamId,
    agentId,
    customerId: conv.customer_id,
    contactId: conv.id,
    ticketId: conv.ticket_id,
    channel: conv.channel,
    data,
  } as ContactEvent);
}

/** When the contact last waited for an agent: its last offer to a queue or transfer (epoch ms). */
export async function waitingSince(tx: Queryable, conversationId: string): Promise<number | null> {
  const { rows } = await tx.query<{ at: Date }>(
    `select at from contact_events where contact_id = $1 and kind in ('offered', 'transferred') order by at desc, id desc limit 1`,
    [conversationId],
  );
  return rows[0]?.at.getTime() ?? null;
}

/** When the current assignee answered (epoch ms): the start of their talk time. */
export async function answeredAt(tx: Queryable, conversationId: string, agentId: string): Promise<number | null> {
  const { rows } = await tx.query<{ at: Date }>(
    `select at from contact_events where contact_id = $1 and kind = 'answered' and agent_id = $2 order by at desc, id desc limit 1`,
    [conversationId, agentId],
  );
  return rows[0]?.at.getTime() ?? null;
}

export async function hasEvent(tx: Queryable, conversationId: string, kind: ContactEventKind): Promise<boolean> {
  const { rows } = await tx.query('select 1 from contact_events where contact_id = $1 and kind = $2 limit 1', [conversationId, kind]);
  return rows.length > 0;
}
