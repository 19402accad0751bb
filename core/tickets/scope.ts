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
 * Write scope: the ticket's team must be one of the actor's teams, whoever it is assigned to (being the
 * assignee is not enough: a ticket assigned to me in another team would carry that team's customer into
 * my scope). Within the team an agent changes tickets assigned to them and the unassigned queue; a lead
 * changes any ticket of the team; an admin changes anything.
 */
export function canWrite(actor: Actor, t: Pick<Ticket, 'teamId' | 'assigneeId'>): boolean {
  if (actor.role === 'admin') return true;
  if (!inTeam(actor, t)) return false;
  return actor.role === 'lead' || t.assigneeId === null || t.assigneeId === actor.userId;
}

/** Comments: any ticket of the actor's teams (a note on a teammate's ticket), never another team's. */
export function canComment(actor: Actor, t: Pick<Ticket, 'teamId'>): boolean {
  return actor.role === 'admin' || inTeam(actor, t);
}

/** Agents may take a ticket or hand it back to the queue; assigning to someone else is a lead's call. */
export function canAssign(actor: Actor, assigneeId: string | null): boolean {
  return actor.role !== 'agent' || assigneeId === null || assigneeId === actor.userId;
}
