import { randomBytes } from 'node:crypto';
import type { AdminProvider, AdminQueue, AdminTeam, MessagingProviderCreate, QueueCreate, QueuePatch, TeamPatch } from '../../core/admin/wire';
import type { Locale } from '../../core/locale';
import { isKnownTimeZone } from '../../core/sla/businessTime';
import type { z } from 'zod';
import type { Queryable } from '../db/db';
import { conflict } from '../chat/errors';
import { badRequest, notFound } from '../http/errors';
import { audit, type AuditActor } from './audit';
import { createHash } from 'node:crypto';

/** Teams, queues and providers as the admin console changes them; every write audited in its transaction. */

type TeamRow = { id: string; name: string; language: Locale; time_zone: string; member_count: number; external_id: string | null };
export type TeamRecord = AdminTeam & { externalId: string | null };

export async function loadTeams(q: Queryable, where: { ids?: readonly string[]; name?: string; externalId?: string } = {}): Promise<TeamRecord[]> {
  const { rows } = await q.query<TeamRow>(
    `select t.id, t.name, t.language, t.time_zone, t.external_id,
            (select count(*)::int from team_members m join users u on u.id = m.user_id where m.team_id = t.id and not u.disabled) as member_count
     from teams t
     where ($1::uuid[] is null or t.id = any($1::uuid[])) and ($2::text is null or t.name = $2) and ($3::text is null or t.external_id = $3)
     order by t.name`,
    [where.ids ? [...where.ids] : null, where.name ?? null, where.externalId ?? null],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, language: r.language, timeZone: r.time_zone, memberCount: r.member_count, externalId: r.external_id }));
}

export async function loadTeam(q: Queryable, id: string): Promise<TeamRecord> {
  const team = (await loadTeams(q, { ids: [id] }))[0];
  if (!team) throw notFound('No such team.');
  return team;
}

function checkTimeZone(timeZone: string | undefined): void {
  // The runtime's own tz database (full ICU in Node): the same check the SLA calendar's time zone passes.
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) throw badRequest(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin or Asia/Shanghai.`);
}

async function assertTeamName(q: Queryable, name: string | undefined, self?: string): Promise<void> {
  if (name === undefined) return;
  const { rows } = await q.query('select 1 from teams where lower(name) = lower($1) and ($2::uuid is null or id <> $2)', [name, self ?? null]);
  if (rows[0]) throw conflict(`A team named "${name}" already exists.`);
}

export async function createTeam(tx: Queryable, actor: AuditActor, t: { name: string; language: Locale; timeZone: string; externalId?: string | null }): Promise<TeamRecord> {
  checkTimeZone(t.timeZone);
  await assertTeamName(tx, t.name);
  const { rows } = await tx.query<{ id: string }>('insert into teams (name, language, time_zone, external_id) values ($1, $2, $3, $4) returning id', [t.name, t.language, t.timeZone, t.externalId ?? null]);
  const team = await loadTeam(tx, rows[0]!.id);
  await audit(tx, actor, 'team.create', 'team', team.id, null, team);
  return team;
}

export async function updateTeam(tx: Queryable, actor: AuditActor, id: string, patch: TeamPatch & { externalId?: string | null }): Promise<TeamRecord> {
  checkTimeZone(patch.timeZone);
  await assertTeamName(tx, patch.name, id);
  const before = await loadTeam(tx, id);
  await tx.query(
    `update teams set name = coalesce($2, name), language = coalesce($3, language), time_zone = coalesce($4, time_zone),
            external_id = case when $5::boolean then $6 else external_id end where id = $1`,
    [id, patch.name ?? null, patch.language ?? null, patch.timeZone ?? null, patch.externalId !== undefined, patch.externalId ?? null],
  );
  const after = await loadTeam(tx, id);
  await audit(tx, actor, 'team.update', 'team', id, before, after);
  return after;
}

/** Members of a team, set as a whole (SCIM Group members): returns the people whose scope changed. */
export async function setTeamMembers(tx: Queryable, actor: AuditActor, teamId: string, userIds: readonly string[]): Promise<void> {
  const { rows } = await tx.query<{ user_id: string }>('select user_id::text from team_members where team_id = $1 order by user_id', [teamId]);
  const before = rows.map((r) => r.user_id);
  const after = [...new Set(userIds)].sort();
  if (before.join() === after.join()) return;
  const { rows: known } = await tx.query<{ id: string }>('select id::text from users where id = any($1::uuid[])', [after]);
  if (known.length !== after.length) throw badRequest('A member is not a known person.');
  await tx.query('delete from team_members where team_id = $1', [teamId]);
  for (const userId of after) await tx.query('insert into team_members (team_id, user_id) values ($1, $2)', [teamId, userId]);
  await audit(tx, actor, 'team.members', 'team', teamId, { members: before }, { members: after });
}

export async function deleteTeam(tx: Queryable, actor: AuditActor, id: string): Promise<void> {
  const before = await loadTeam(tx, id);
  const { rows } = await tx.query('select 1 from chat_queues where team_id = $1 union all select 1 from tickets where team_id = $1 limit 1', [id]);
  if (rows[0]) throw conflict(`The team "${before.name}" has queues or tickets; move them first.`);
  await tx.query('delete from teams where id = $1', [id]);
  await audit(tx, actor, 'team.delete', 'team', id, before, null);
}

type QueueRow = { id: string; name: string; team_id: string; language: Locale | null; country: string | null; product: string | null; mode: 'offer' | 'auto'; offer_timeout_seconds: number };
const toQueue = (r: QueueRow): AdminQueue => ({
  id: r.id,
  name: r.name,
  teamId: r.team_id,
  language: r.language,
  country: r.country,
  product: r.product,
  mode: r.mode,
  offerTimeoutSeconds: r.offer_timeout_seconds,
});

export async function loadQueues(q: Queryable, teamIds: readonly string[] | null, ids?: readonly string[]): Promise<AdminQueue[]> {
  const { rows } = await q.query<QueueRow>(
    `select id, name, team_id::text, language, country, product, mode, offer_timeout_seconds from chat_queues
     where ($1::uuid[] is null or team_id = any($1::uuid[])) and ($2::uuid[] is null or id = any($2::uuid[])) order by name, id`,
    [teamIds ? [...teamIds] : null, ids ? [...ids] : null],
  );
  return rows.map(toQueue);
}

export async function loadQueue(q: Queryable, id: string): Promise<AdminQueue> {
  const queue = (await loadQueues(q, null, [id]))[0];
  if (!queue) throw notFound('No such queue.');
  return queue;
}

/** Two queues with the same routing attributes would split the same customers arbitrarily (routing.ts pickQueue takes the older). */
async function assertDistinctRouting(q: Queryable, r: { language: string | null; country: string | null; product: string | null }, self?: string): Promise<void> {
  const { rows } = await q.query<{ name: string }>(
    `select name from chat_queues where language is not distinct from $1 and country is not distinct from $2
       and lower(product) is not distinct from lower($3) and ($4::uuid is null or id <> $4) limit 1`,
    [r.language, r.country, r.product, self ?? null],
  );
  if (rows[0]) throw conflict(`The queue "${rows[0].name}" already routes this language, country and product.`);
}

export async function createQueue(tx: Queryable, actor: AuditActor, input: z.output<typeof QueueCreate>): Promise<AdminQueue> {
  await loadTeam(tx, input.teamId);
  await assertDistinctRouting(tx, input);
  const { rows } = await tx.query<{ id: string }>(
    'insert into chat_queues (name, team_id, language, country, product, mode, offer_timeout_seconds) values ($1, $2, $3, $4, $5, $6, $7) returning id',
    [input.name, input.teamId, input.language, input.country, input.product, input.mode, input.offerTimeoutSeconds],
  );
  const queue = await loadQueue(tx, rows[0]!.id);
  await audit(tx, actor, 'queue.create', 'queue', queue.id, null, queue);
  return queue;
}

export async function updateQueue(tx: Queryable, actor: AuditActor, id: string, patch: QueuePatch): Promise<AdminQueue> {
  const before = await loadQueue(tx, id);
  const next = { ...before, ...patch };
  await assertDistinctRouting(tx, next, id);
  await tx.query('update chat_queues set name = $2, language = $3, country = $4, product = $5, mode = $6, offer_timeout_seconds = $7 where id = $1', [
    id,
    next.name,
    next.language,
    next.country,
    next.product,
    next.mode,
    next.offerTimeoutSeconds,
  ]);
  const after = await loadQueue(tx, id);
  await audit(tx, actor, 'queue.update', 'queue', id, before, after);
  return after;
}

/** Messaging providers: the HMAC secret is made here, returned once, and never read back out. */
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export async function listMessagingProviders(q: Queryable): Promise<AdminProvider[]> {
  const { rows } = await q.query<{ id: string; name: string; callback_url: string; created_at: Date }>('select id, name, callback_url, created_at from messaging_providers order by id');
  return rows.map((r) => ({ id: r.id, name: r.name, callbackUrl: r.callback_url, createdAt: new Date(r.created_at).toISOString() }));
}

export async function createMessagingProvider(tx: Queryable, actor: AuditActor, p: MessagingProviderCreate): Promise<string> {
  const { rows } = await tx.query('select 1 from messaging_providers where id = $1', [p.id]);
  if (rows[0]) throw conflict(`A messaging provider "${p.id}" already exists.`);
  const secret = newSecret();
  await tx.query('insert into messaging_providers (id, name, secret, callback_url) values ($1, $2, $3, $4)', [p.id, p.name, secret, p.callbackUrl]);
  await audit(tx, actor, 'provider.create', 'messaging-provider', p.id, null, { ...p, secret: '(set)' });
  return secret;
}

export async function rotateMessagingProvider(tx: Queryable, actor: AuditActor, id: string): Promise<string> {
  const secret = newSecret();
  const { rows } = await tx.query('update messaging_providers set secret = $2 where id = $1 returning id', [id, secret]);
  if (!rows[0]) throw notFound('No such messaging provider.');
  await audit(tx, actor, 'provider.rotate', 'messaging-provider', id, { secret: '(set)' }, { secret: '(rotated)' });
  return secret;
}

export async function listScimProviders(q: Queryable): Promise<AdminProvider[]> {
  const { rows } = await q.query<{ id: string; name: string; created_at: Date }>('select id, name, created_at from scim_providers order by id');
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at).toISOString() }));
}

/** A SCIM bearer token: kept as its SHA-256 only (the token has 256 random bits, so no slow hash is needed). */
export async function createScimProvider(tx: Queryable, actor: AuditActor, p: { id: string; name: string }): Promise<string> {
  const { rows } = await tx.query('select 1 from scim_providers where id = $1', [p.id]);
  if (rows[0]) throw conflict(`A SCIM provider "${p.id}" already exists.`);
  const token = newSecret();
  await tx.query('insert into scim_providers (id, name, token_hash) values ($1, $2, $3)', [p.id, p.name, sha256(token)]);
  await audit(tx, actor, 'scim-provider.create', 'scim-provider', p.id, null, { ...p, token: '(set)' });
  return token;
}

export async function rotateScimProvider(tx: Queryable, actor: AuditActor, id: string): Promise<string> {
  const token = newSecret();
  const { rows } = await tx.query('update scim_providers set token_hash = $2, rotated_at = now() where id = $1 returning id', [id, sha256(token)]);
  if (!rows[0]) throw notFound('No such SCIM provider.');
  await audit(tx, actor, 'scim-provider.rotate', 'scim-provider', id, { token: '(set)' }, { token: '(rotated)' });
  return token;
}
