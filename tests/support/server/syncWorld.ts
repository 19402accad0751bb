import { randomUUID } from 'node:crypto';
import type { Role } from '../../../core/wire/auth';
import { createSession } from '../../../server/auth/sessions';
import { createTokenService } from '../../../server/auth/tokens';
import type { Db } from '../../../server/db/db';
import { migrate } from '../../../server/db/migrate';
import { openPglite } from '../../../server/db/pglite';

/**
 * A small world for sync tests: team A (two agents and a lead), team B (one agent), an admin, each
 * with a live session and an access token signed with `secret`. Tickets are inserted with SQL, as
 * another system (email intake, an import) would.
 */
export const secret = 'sync-test-secret-that-is-long-enough-0123456789';

export type Person = { id: string; token: string; auth: { authorization: string } };
export type World = { db: Db; teamA: string; teamB: string; anna: Person; bo: Person; lead: Person; zed: Person; admin: Person };

/** A user with a live session and an access token (for a second team's lead, say). */
export async function addPerson(db: Db, username: string, role: Role, team: string | null): Promise<Person> {
  const tokens = createTokenService(secret, 3600);
  const id = randomUUID();
  await db.query("insert into users (id, username, display_name, role, password_hash) values ($1, $2, $2, $3, 'x')", [id, username, role]);
  if (team) await db.query('insert into team_members (team_id, user_id) values ($1, $2)', [team, id]);
  const { sessionId } = await createSession(db, id, 3600);
  const token = await tokens.signAccess({ sub: id, role, sid: sessionId });
  return { id, token, auth: { authorization: `Bearer ${token}` } };
}

/** On a fresh in-memory PGlite unless `db` is given (an empty database, migrated here). */
export async function createWorld(given?: Db): Promise<World> {
  const db = given ?? (await openPglite('memory://'));
  await migrate(db);
  const teamA = randomUUID();
  const teamB = randomUUID();
  await db.query('insert into teams (id, name) values ($1, $2), ($3, $4)', [teamA, 'Team A', teamB, 'Team B']);
  const person = (username: string, role: Role, team: string | null) => addPerson(db, username, role, team);
  return {
    db,
    teamA,
    teamB,
    anna: await person('anna', 'agent', teamA),
    bo: await person('bo', 'agent', teamA),
    lead: await person('lead', 'lead', teamA),
    zed: await person('zed', 'agent', teamB),
    admin: await person('admin', 'admin', null),
  };
}

/** Inserts a ticket as an outside system would; returns its id. */
export async function insertTicket(db: Db, over: { teamId: string; assigneeId?: string | null; subject?: string; customerId?: string | null }): Promise<string> {
  const id = randomUUID();
  await db.query("insert into tickets (id, subject, team_id, assignee_id, customer_id, channel) values ($1, $2, $3, $4, $5, 'email')", [
    id, over.subject ?? `Ticket ${id.slice(0, 8)}`, over.teamId, over.assigneeId ?? null, over.customerId ?? null,
  ]);
  return id;
}

/** A snapshot of everything push may write, to prove a refused batch changed nothing. */
export async function snapshot(db: Db): Promise<string> {
  const parts = await Promise.all(
    ['tickets', 'ticket_comments', 'sync_clients', 'sync_mutation_log', 'ticket_touches'].map(async (table) => {
      const { rows } = await db.query(`select * from ${table} order by 1, 2`);
      return JSON.stringify(rows);
    }),
  );
  return parts.join('\n');
}
