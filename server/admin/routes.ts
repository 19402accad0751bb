import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type AdminPerson,
  type AdminProvider,
  type AdminQueue,
  type AdminTeam,
  type AuditEntry,
  ImportRequest,
  type ImportResult,
  MessagingProviderCreate,
  type OnceSecret,
  PasswordReset,
  PersonCreate,
  PersonPatch,
  QueueCreate,
  QueuePatch,
  ScimProviderCreate,
  TeamCreate,
  TeamPatch,
} from '../../core/admin/wire';
import { hashPassword } from '../auth/password';
import { revokeSession } from '../auth/sessions';
import type { Db } from '../db/db';
import type { AppContext, Caller } from '../http/context';
import { forbidden, parseWith } from '../http/errors';
import type { SipProvisioner } from '../pbx/provisioner';
import { actorOf, listAudit } from './audit';
import { importPeople } from './csvImport';
import { type AfterCommit, createPerson, loadPeople, loadPerson, resetPassword, rotateSipPassword, ssoOnlyHash, updatePerson } from './people';
import {
  createMessagingProvider,
  createQueue,
  createScimProvider,
  createTeam,
  listMessagingProviders,
  listScimProviders,
  loadQueue,
  loadQueues,
  loadTeams,
  rotateMessagingProvider,
  rotateScimProvider,
  updateQueue,
  updateTeam,
} from './teams';

/**
 * The admin console's API (issue 16). Admins change everything; a lead sees the people, teams and queues
 * of the teams they lead and changes what runs their floor (queues, a team's time zone and language, an
 * agent's skills, languages and chat capacity), never roles, extensions, sign-in or providers.
 * Every change is one transaction with its audit line; what lies outside the database (ending sessions,
 * signing a phone out) happens after the commit, so a refused change leaves nothing behind.
 */

const IdParams = z.object({ id: z.uuid('must be an id') });
const ProviderParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a provider id') });
const AuditQuery = z.object({ entity: z.string().max(40).optional(), entityId: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
/** What a lead may change on a member of their team. */
const leadPersonFields = new Set(['skills', 'languages', 'maxChats']);

export function requireAdmin(caller: Caller, what = 'Only admins can do this.'): void {
  if (caller.role !== 'admin') throw forbidden(what);
}

function requireLeadOrAdmin(caller: Caller): void {
  if (caller.role === 'agent') throw forbidden('Only admins and team leads can use the admin console.');
}

/** null: every team (admins); else the teams a lead leads. */
const scopeOf = (caller: Caller): string[] | null => (caller.role === 'admin' ? null : caller.teamIds);

function requireTeam(caller: Caller, teamId: string): void {
  if (caller.role !== 'admin' && !caller.teamIds.includes(teamId)) throw forbidden('You can only change the teams you lead.');
}

/** Sessions end (and their sockets close at once, realtime/serverHub.ts), phones are signed out. */
export async function runAfterCommit(db: Db, sip: SipProvisioner, after: AfterCommit): Promise<void> {
  if (after.endSessionsOf.length) {
    const { rows } = await db.query<{ id: string }>('select id from sessions where user_id = any($1::uuid[]) and revoked_at is null', [after.endSessionsOf]);
    for (const { id } of rows) await revokeSession(db, id, 'admin');
  }
  if (after.sipChanged || after.signOut.length) await sip.changed(after.signOut);
}

export function adminRoutes(app: FastifyInstance, ctx: AppContext, sip: SipProvisioner): void {
  const { db } = ctx;

  app.get('/admin/people', async (request): Promise<{ people: AdminPerson[] }> => {
    const caller = await ctx.authenticate(request);
    requireLeadOrAdmin(caller);
    const scope = scopeOf(caller);
    const people = await loadPeople(db, scope ? { teamIds: scope } : {});
    return { people: people.map(({ externalId: _, ...p }) => p) };
  });

  app.post('/admin/people', async (request, reply): Promise<AdminPerson> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller, 'Only admins can add people.');
    const input = parseWith(PersonCreate, request.body);
    // Hashed before the transaction: scrypt takes tens of milliseconds and holds no row.
    const passwordHash = input.password ? await hashPassword(input.password) : ssoOnlyHash;
    const { person, after } = await db.transaction(async (tx) => createPerson(tx, await actorOf(tx, caller.sub), { ...input, passwordHash }));
    await runAfterCommit(db, sip, after);
    void reply.status(201);
    const { externalId: _, ...out } = person;
    return out;
  });

  app.patch('/admin/people/:id', async (request): Promise<AdminPerson> => {
    const caller = await ctx.authenticate(request);
    requireLeadOrAdmin(caller);
    const { id } = parseWith(IdParams, request.params, 'path');
    const patch = parseWith(PersonPatch, request.body);
    if (caller.role !== 'admin') {
      const target = await loadPerson(db, id);
      if (!target.teamIds.some((t) => caller.teamIds.includes(t))) throw forbidden('You can only change people in the teams you lead.');
      const other = Object.keys(patch).filter((k) => !leadPersonFields.has(k));
      if (other.length) throw forbidden(`Only admins can change ${other.join(', ')}.`);
    }
    const { person, after } = await db.transaction(async (tx) => updatePerson(tx, await actorOf(tx, caller.sub), id, patch));
    await runAfterCommit(db, sip, after);
    const { externalId: _, ...out } = person;
    return out;
  });

  for (const [path, active] of [['/admin/people/:id/deactivate', false], ['/admin/people/:id/reactivate', true]] as const) {
    app.post(path, async (request): Promise<AdminPerson> => {
      const caller = await ctx.authenticate(request);
      requireAdmin(caller, 'Only admins can deactivate or reactivate people.');
      const { id } = parseWith(IdParams, request.params, 'path');
      if (id === caller.sub && !active) throw forbidden('You cannot deactivate yourself.');
      const { person, after } = await db.transaction(async (tx) => updatePerson(tx, await actorOf(tx, caller.sub), id, { active }));
      await runAfterCommit(db, sip, after);
      const { externalId: _, ...out } = person;
      return out;
    });
  }

  app.post('/admin/people/:id/password', async (request): Promise<{ ok: true }> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller, 'Only admins can reset passwords.');
    const { id } = parseWith(IdParams, request.params, 'path');
    const input = parseWith(PasswordReset, request.body);
    const hash = 'password' in input ? await hashPassword(input.password) : ssoOnlyHash;
    const after = await db.transaction(async (tx) => resetPassword(tx, await actorOf(tx, caller.sub), id, hash));
    await runAfterCommit(db, sip, after);
    return { ok: true };
  });

  app.post('/admin/people/:id/sip-password', async (request, reply): Promise<OnceSecret> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller, 'Only admins can rotate SIP passwords.');
    const { id } = parseWith(IdParams, request.params, 'path');
    const { secret, after } = await db.transaction(async (tx) => rotateSipPassword(tx, await actorOf(tx, caller.sub), id));
    await runAfterCommit(db, sip, after);
    void reply.header('cache-control', 'no-store');
    return { secret };
  });

  app.post('/admin/people/import', async (request): Promise<ImportResult> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller, 'Only admins can import people.');
    const input = parseWith(ImportRequest, request.body);
    const { result, after } = await importPeople(db, caller.sub, input);
    await runAfterCommit(db, sip, after);
    return result;
  });

  app.get('/admin/teams', async (request): Promise<{ teams: AdminTeam[] }> => {
    const caller = await ctx.authenticate(request);
    requireLeadOrAdmin(caller);
    const scope = scopeOf(caller);
    const teams = await loadTeams(db, scope ? { ids: scope } : {});
    return { teams: teams.map(({ externalId: _, ...t }) => t) };
  });

  app.post('/admin/teams', async (request, reply): Promise<AdminTeam> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller, 'Only admins can add teams.');
    const input = parseWith(TeamCreate, request.body);
    const { externalId: _, ...team } = await db.transaction(async (tx) => createTeam(tx, await actorOf(tx, caller.sub), input));
    void reply.status(201);
    return team;
  });

  app.patch('/admin/teams/:id', async (request): Promise<AdminTeam> => {
    const caller = await ctx.authenticate(request);
    requireLeadOrAdmin(caller);
    const { id } = parseWith(IdParams, request.params, 'path');
    requireTeam(caller, id);
    const patch = parseWith(TeamPatch, request.body);
    if (caller.role !== 'admin' && patch.name !== undefined) throw forbidden('Only admins can rename a team.');
    const { externalId: _, ...team } = await db.transaction(async (tx) => updateTeam(tx, await actorOf(tx, caller.sub), id, patch));
    return team;
  });

  app.get('/admin/queues', async (request): Promise<{ queues: AdminQueue[] }> => {
    const caller = await ctx.authenticate(request);
    requireLeadOrAdmin(caller);
    return { queues: await loadQueues(db, scopeOf(caller)) };
  });

  app.post('/admin/queues', async (request, reply): Promise<AdminQueue> => {
    const caller = await ctx.authenticate(request);
    requireLeadOrAdmin(caller);
    const input = parseWith(QueueCreate, request.body);
    requireTeam(caller, input.teamId);
    const queue = await db.transaction(async (tx) => createQueue(tx, await actorOf(tx, caller.sub), input));
    void reply.status(201);
    return queue;
  });

  app.patch('/admin/queues/:id', async (request): Promise<AdminQueue> => {
    const caller = await ctx.authenticate(request);
    requireLeadOrAdmin(caller);
    const { id } = parseWith(IdParams, request.params, 'path');
    requireTeam(caller, (await loadQueue(db, id)).teamId);
    const patch = parseWith(QueuePatch, request.body);
    return db.transaction(async (tx) => updateQueue(tx, await actorOf(tx, caller.sub), id, patch));
  });

  app.get('/admin/messaging-providers', async (request): Promise<{ providers: AdminProvider[] }> => {
    requireAdmin(await ctx.authenticate(request));
    return { providers: await listMessagingProviders(db) };
  });
  app.post('/admin/messaging-providers', async (request, reply): Promise<OnceSecret> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller);
    const input = parseWith(MessagingProviderCreate, request.body);
    const secret = await db.transaction(async (tx) => createMessagingProvider(tx, await actorOf(tx, caller.sub), input));
    void reply.status(201).header('cache-control', 'no-store');
    return { secret };
  });
  app.post('/admin/messaging-providers/:id/rotate', async (request, reply): Promise<OnceSecret> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller);
    const { id } = parseWith(ProviderParams, request.params, 'path');
    const secret = await db.transaction(async (tx) => rotateMessagingProvider(tx, await actorOf(tx, caller.sub), id));
    void reply.header('cache-control', 'no-store');
    return { secret };
  });

  app.get('/admin/scim-providers', async (request): Promise<{ providers: AdminProvider[] }> => {
    requireAdmin(await ctx.authenticate(request));
    return { providers: await listScimProviders(db) };
  });
  app.post('/admin/scim-providers', async (request, reply): Promise<OnceSecret> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller);
    const input = parseWith(ScimProviderCreate, request.body);
    const secret = await db.transaction(async (tx) => createScimProvider(tx, await actorOf(tx, caller.sub), input));
    void reply.status(201).header('cache-control', 'no-store');
    return { secret };
  });
  app.post('/admin/scim-providers/:id/rotate', async (request, reply): Promise<OnceSecret> => {
    const caller = await ctx.authenticate(request);
    requireAdmin(caller);
    const { id } = parseWith(ProviderParams, request.params, 'path');
    const secret = await db.transaction(async (tx) => rotateScimProvider(tx, await actorOf(tx, caller.sub), id));
    void reply.header('cache-control', 'no-store');
    return { secret };
  });

  app.get('/admin/audit', async (request): Promise<{ entries: AuditEntry[] }> => {
    requireAdmin(await ctx.authenticate(request), 'Only admins can read the admin audit.');
    const query = parseWith(AuditQuery, request.query, 'query');
    return { entries: await listAudit(db, query) };
  });
}
