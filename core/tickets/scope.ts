import type { Role } from '../wire/auth';
import type { Ticket } from './model';

/** Who is acting: the server takes it from the session, the client from the signed-in user. */
export type Actor = { userId: string; role: Role; teamIds: readonly string[] };

const inTeam = (actor: Actor, t: Pick<Ticket, 'teamId'>) => t.teamId !== null && actor.teamIds.includes(t.teamId);

/**
 * Read scope (what pull sends and what an agent may comment on): tickets assigned to the actor and
 * every ticket of the actor's teams, so an agent sees a caller's history within the team; admins see all.
 */
export function canRead(actor: Actor, t: Pick<Ticket, 'teamId' | 'assigneeId'>): boolean {
  return actor.role === 'admin' || t.assigneeId === actor.userId || inTeam(actor, t);
}

/**
 * Write scope: an agent changes tickets assigned to them and their teams' unassigned queue; a lead
 * changes any ticket of their teams; an admin changes anything.
 */
export function canWrite(actor: Actor, t: Pick<Ticket, 'teamId' | 'assigneeId'>): boolean {
  if (actor.role === 'admin') return true;
  if (t.assigneeId === actor.userId) return true;
  if (actor.role === 'lead') return inTeam(actor, t);
  return t.assigneeId === null && inTeam(actor, t);
}

/** Agents may take a ticket or hand it back to the queue; assigning to someone else is a lead's call. */
export function canAssign(actor: Actor, assigneeId: string | null): boolean {
  return actor.role !== 'agent' || assigneeId === null || assigneeId === actor.userId;
}
