import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scimPatch, ScimError, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { parse as parseFilter, type Filter } from 'scim2-parse-filter';
import { z } from 'zod';
import { Username } from '../../core/admin/wire';
import { audit, type AuditActor } from '../admin/audit';
import { type AfterCommit, createPerson, deletePerson, loadPeople, loadPerson, nothingAfter, type PersonChange, ssoOnlyHash, updatePerson } from '../admin/people';
import { runAfterCommit } from '../admin/routes';
import { createTeam, loadTeam, loadTeams, setTeamMembers, sha256, updateTeam } from '../admin/teams';
import type { AppContext } from '../http/context';
import { HttpError } from '../http/errors';
import { parseJsonText } from '../http/jsonBody';
import type { SipProvisioner } from '../pbx/provisioner';
import { resourceTypes, schemaDocs, schemas, serviceProviderConfig, toScimGroup, toScimUser } from './resources';

/**
 * SCIM 2.0 (RFC 7643/7644) at /scim/v2 for Entra ID, Okta and others: Users ↔ people, Groups ↔ teams.
 * Each identity provider has its own bearer token (made in the admin console, kept as a SHA-256); its
 * changes are audited as `scim:<provider>`. PATCH bodies are applied with scim-patch (RFC 7644 §3.5.2,
 * value filters on members included) rather than by hand; filters are parsed with scim2-parse-filter.
 * Deactivation (active=false, or DELETE) ends the person's sessions and sockets at once and signs their
 * phone out (admin/routes.ts runAfterCommit).
 */

const base = '/scim/v2';
const maxCount = 200;

class ScimHttpError extends HttpError {}
const scimError = (status: number, detail: string, scimType?: string) => Object.assign(new ScimHttpError(status, status === 409 ? 'conflict' : status === 404 ? 'not-found' : status === 401 ? 'unauthorized' : 'bad-request', detail), { scimType });

const UserBody = z.object({
  userName: z.string(),
  displayName: z.string().optional(),
  name: z.object({ formatted: z.string().optional(), givenName: z.string().optional(), familyName: z.string().optional() }).partial().optional(),
  externalId: z.string().max(200).optional(),
  // Entra ID has sent "True"/"False" strings for booleans.
  active: z.union([z.boolean(), z.enum(['True', 'False', 'true', 'false']).transform((s) => s.toLowerCase() === 'true')]).optional(),
});
const GroupBody = z.object({
  displayName: z.string().trim().min(1).max(100),
  externalId: z.string().max(200).optional(),
  members: z.array(z.object({ value: z.string() })).max(10_000).optional(),
});
const PatchBody = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(schemas.patch), 'must name the PatchOp schema'),
  Operations: z.array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() })).min(1).max(1000),
});
const IdParams = z.object({ id: z.uuid() });

function parseScim<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw scimError(400, r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalidValue');
}

function displayNameOf(b: z.output<typeof UserBody>): string {
  const n = b.name;
  const joined = [n?.givenName, n?.familyName].filter(Boolean).join(' ');
  return (b.displayName || n?.formatted || joined || b.userName).trim().slice(0, 100);
}

function usernameOf(userName: string): string {
  const r = Username.safeParse(userName);
  if (!r.success) throw scimError(400, `userName: ${r.error.issues[0]?.message ?? 'invalid'}`, 'invalidValue');
  return r.data;
}

/** The one filter shape the big providers send for a lookup: `attr eq "value"` (RFC 7644 §3.4.2.2). */
function eqFilter(text: string | undefined, allowed: readonly string[]): { attr: string; value: string } | null {
  if (!text) return null;
  let f: Filter;
  try {
    f = parseFilter(text);
  } catch (err) {
    throw scimError(400, `Bad filter: ${err instanceof Error ? err.message : String(err)}`, 'invalidFilter');
  }
  const attr = 'attrPath' in f ? allowed.find((a) => a.toLowerCase() === String(f.attrPath).toLowerCase()) : undefined;
  if (f.op !== 'eq' || !attr || !('compValue' in f) || typeof f.compValue !== 'string') throw scimError(400, `Only "<${allowed.join('|')}> eq "value"" filters are supported.`, 'invalidFilter');
  return { attr, value: f.compValue };
}

function paging(query: unknown): { start: number; count: number } {
  const q = z.object({ startIndex: z.coerce.number().int().optional(), count: z.coerce.number().int().optional() }).safeParse(query);
  if (!q.success) throw scimError(400, 'startIndex and count must be integers', 'invalidValue');
  // RFC 7644 §3.4.2.4: startIndex below 1 is 1, a negative count is 0.
  return { start: Math.max(1, q.data.startIndex ?? 1), count: Math.min(maxCount, Math.max(0, q.data.count ?? 100)) };
}

const list = <T>(all: T[], { start, count }: { start: number; count: number }) => ({
  schemas: [schemas.list],
  totalResults: all.length,
  startIndex: start,
  itemsPerPage: Math.min(count, Math.max(0, all.length - start + 1)),
  Resources: all.slice(start - 1, start - 1 + count),
});

/** Entra ID sends "Replace" and "Add" with capitals; scim-patch wants them as RFC 7644 spells them. */
const normalizeOps = (ops: z.output<typeof PatchBody>['Operations']): ScimPatchOperation[] =>
  ops.map((o) => {
    const op = o.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw scimError(400, `Unknown PATCH op "${o.op}"`, 'invalidSyntax');
    return { op, ...(o.path !== undefined ? { path: o.path } : {}), ...(o.value !== undefined ? { value: o.value } : {}) } as ScimPatchOperation;
  });

function applyPatch<T extends object>(resource: T, ops: ScimPatchOperation[]): T {
  try {
    return scimPatch(resource as unknown as ScimResource, ops, { mutateDocument: false, treatMissingAsAdd: true }) as unknown as T;
  } catch (err) {
    if (err instanceof ScimError) throw scimError(400, err.message, err.scimCode ?? 'invalidValue');
    throw err;
  }
}

export function scimRoutes(app: FastifyInstance, ctx: AppContext, sip: SipProvisioner): void {
  const { db } = ctx;

  void app.register(async (scoped) => {
    // Providers send application/scim+json (RFC 7644 §3.1); the same JSON rules as every other body.
    scoped.addContentTypeParser('application/scim+json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, parseJsonText(String(body)));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    scoped.setErrorHandler((error, request, reply) => {
      const e = error as Partial<HttpError> & { scimType?: string; statusCode?: number };
      const status = e.status ?? (e.statusCode && e.statusCode < 500 ? e.statusCode : 500);
      if (status >= 500) request.log.error({ err: error }, `${request.id}: scim error`);
      return reply
        .status(status)
        .type('application/scim+json')
        .send({ schemas: [schemas.error], status: String(status), ...(e.scimType ? { scimType: e.scimType } : {}), detail: status >= 500 ? 'Something went wrong on the server.' : String(e.message) });
    });

    const provider = async (request: FastifyRequest): Promise<AuditActor> => {
      const m = /^Bearer (\S{20,200})$/.exec(request.headers.authorization ?? '');
      const { rows } = m ? await db.query<{ id: string }>('select id from scim_providers where token_hash = $1', [sha256(m[1]!)]) : { rows: [] };
      if (!rows[0]) throw scimError(401, 'A SCIM provider token is required (Authorization: Bearer ...).');
      return { userId: null, label: `scim:${rows[0].id}` };
    };
    const send = (reply: FastifyReply, status: number, body: unknown) => reply.status(status).type('application/scim+json').send(body);
    const after = async (a: AfterCommit) => runAfterCommit(db, sip, a);
    const userOf = async (id: string) => toScimUser(await loadPerson(db, id), base);
    const groupOf = async (id: string) => {
      const team = await loadTeam(db, id);
      const { rows } = await db.query<{ id: string; display_name: string }>('select u.id, u.display_name from team_members m join users u on u.id = m.user_id where m.team_id = $1 order by u.username', [id]);
      return toScimGroup(team, rows.map((r) => ({ id: r.id, displayName: r.display_name })), base);
    };
    const idOf = (request: FastifyRequest) => {
      const r = IdParams.safeParse(request.params);
      if (!r.success) throw scimError(404, 'No such resource.');
      return r.data.id;
    };
    const personFound = async (id: string) => {
      if (!(await loadPeople(db, { ids: [id] }))[0]) throw scimError(404, `User ${id} not found.`);
    };
    const teamFound = async (id: string) => {
      if (!(await loadTeams(db, { ids: [id] }))[0]) throw scimError(404, `Group ${id} not found.`);
    };
    /** The person change a User body asks for, against the person as they are. */
    const changeOf = (b: z.output<typeof UserBody>): PersonChange => ({
      username: usernameOf(b.userName),
      displayName: displayNameOf(b),
      ...(b.externalId !== undefined ? { externalId: b.externalId } : {}),
      ...(b.active !== undefined ? { active: b.active } : {}),
    });
    const writeUser = async (actor: AuditActor, id: string, change: PersonChange) => {
      const { after: a } = await db.transaction((tx) => updatePerson(tx, actor, id, change)).catch(uniqueness);
      await after(a);
    };

    scoped.get(`${base}/ServiceProviderConfig`, async (request, reply) => {
      await provider(request);
      return send(reply, 200, serviceProviderConfig(base));
    });
    scoped.get(`${base}/ResourceTypes`, async (request, reply) => {
      await provider(request);
      const all = resourceTypes(base);
      return send(reply, 200, list(all, { start: 1, count: all.length }));
    });
    scoped.get(`${base}/Schemas`, async (request, reply) => {
      await provider(request);
      const all = schemaDocs(base);
      return send(reply, 200, list(all, { start: 1, count: all.length }));
    });

    scoped.get(`${base}/Users`, async (request, reply) => {
      await provider(request);
      const query = request.query as Record<string, string | undefined>;
      const f = eqFilter(query.filter, ['userName', 'externalId', 'id']);
      const where = !f ? {} : f.attr === 'userName' ? { username: f.value.toLowerCase() } : f.attr === 'externalId' ? { externalId: f.value } : z.uuid().safeParse(f.value).success ? { ids: [f.value] } : { ids: [] };
      const people = await loadPeople(db, where);
      return send(reply, 200, list(people.map((p) => toScimUser(p, base)), paging(request.query)));
    });
    scoped.get(`${base}/Users/:id`, async (request, reply) => {
      await provider(request);
      const id = idOf(request);
      await personFound(id);
      return send(reply, 200, await userOf(id));
    });
    scoped.post(`${base}/Users`, async (request, reply) => {
      const actor = await provider(request);
      const b = parseScim(UserBody, request.body);
      const username = usernameOf(b.userName);
      const { person } = await db
        .transaction(async (tx) => {
          const created = await createPerson(tx, actor, {
            username,
            displayName: displayNameOf(b),
            role: 'agent',
            language: 'en',
            extension: null,
            teamIds: [],
            skills: [],
            languages: [],
            maxChats: null,
            // People from an identity provider sign in with it: no password.
            passwordHash: ssoOnlyHash,
            externalId: b.externalId ?? null,
            scimProvider: actor.label.slice('scim:'.length),
          });
          if (b.active === false) await updatePerson(tx, actor, created.person.id, { active: false });
          return created;
        })
        .catch(uniqueness);
      return send(reply, 201, await userOf(person.id));
    });
    scoped.put(`${base}/Users/:id`, async (request, reply) => {
      const actor = await provider(request);
      const id = idOf(request);
      await personFound(id);
      await writeUser(actor, id, changeOf(parseScim(UserBody, request.body)));
      return send(reply, 200, await userOf(id));
    });
    scoped.patch(`${base}/Users/:id`, async (request, reply) => {
      const actor = await provider(request);
      const id = idOf(request);
      await personFound(id);
      const ops = normalizeOps(parseScim(PatchBody, request.body).Operations);
      const current = await userOf(id);
      const next = applyPatch(current, ops);
      await writeUser(actor, id, changeOf(parseScim(UserBody, { ...next, displayName: next.displayName !== current.displayName ? next.displayName : next.name?.formatted !== current.name.formatted ? next.name.formatted : next.displayName })));
      return send(reply, 200, await userOf(id));
    });
    scoped.delete(`${base}/Users/:id`, async (request, reply) => {
      const actor = await provider(request);
      const id = idOf(request);
      await personFound(id);
      await after(await db.transaction((tx) => deletePerson(tx, actor, id)));
      return reply.status(204).send();
    });

    scoped.get(`${base}/Groups`, async (request, reply) => {
      await provider(request);
      const query = request.query as Record<string, string | undefined>;
      const f = eqFilter(query.filter, ['displayName', 'externalId', 'id']);
      const where = !f ? {} : f.attr === 'displayName' ? { name: f.value } : f.attr === 'externalId' ? { externalId: f.value } : z.uuid().safeParse(f.value).success ? { ids: [f.value] } : { ids: [] };
      const teams = await loadTeams(db, where);
      const page = paging(request.query);
      const shown = list(teams, page);
      // Entra ID asks with excludedAttributes=members for large groups; members are read only for the page shown.
      const withMembers = query.excludedAttributes?.split(',').includes('members') !== true;
      const resources = await Promise.all(shown.Resources.map(async (t) => (withMembers ? groupOf(t.id) : toScimGroup(t, [], base))));
      return send(reply, 200, { ...shown, Resources: resources });
    });
    scoped.get(`${base}/Groups/:id`, async (request, reply) => {
      await provider(request);
      const id = idOf(request);
      await teamFound(id);
      return send(reply, 200, await groupOf(id));
    });
    const writeGroup = async (actor: AuditActor, id: string | null, b: z.output<typeof GroupBody>): Promise<string> => {
      const memberIds = b.members?.map((m) => m.value);
      if (memberIds?.some((m) => !z.uuid().safeParse(m).success)) throw scimError(400, 'members: each value must be a User id', 'invalidValue');
      return db
        .transaction(async (tx) => {
          const team = id
            ? await updateTeam(tx, actor, id, { name: b.displayName, ...(b.externalId !== undefined ? { externalId: b.externalId } : {}) })
            : await createTeam(tx, actor, { name: b.displayName, language: 'en', timeZone: 'UTC', externalId: b.externalId ?? null });
          if (memberIds) await setTeamMembers(tx, actor, team.id, memberIds);
          return team.id;
        })
        .catch(uniqueness);
    };
    scoped.post(`${base}/Groups`, async (request, reply) => {
      const actor = await provider(request);
      const id = await writeGroup(actor, null, parseScim(GroupBody, request.body));
      return send(reply, 201, await groupOf(id));
    });
    scoped.put(`${base}/Groups/:id`, async (request, reply) => {
      const actor = await provider(request);
      const id = idOf(request);
      await teamFound(id);
      await writeGroup(actor, id, parseScim(GroupBody, request.body));
      return send(reply, 200, await groupOf(id));
    });
    scoped.patch(`${base}/Groups/:id`, async (request, reply) => {
      const actor = await provider(request);
      const id = idOf(request);
      await teamFound(id);
      const ops = normalizeOps(parseScim(PatchBody, request.body).Operations);
      const next = applyPatch(await groupOf(id), ops);
      await writeGroup(actor, id, parseScim(GroupBody, next));
      // RFC 7644 §3.5.2: 204 is allowed; Entra ID and Okta both take it, and it spares reading every member back.
      return reply.status(204).send();
    });
    scoped.delete(`${base}/Groups/:id`, async (request, reply) => {
      const actor = await provider(request);
      const id = idOf(request);
      await teamFound(id);
      await db
        .transaction(async (tx) => {
          const before = await loadTeam(tx, id);
          const { rows } = await tx.query('select 1 from chat_queues where team_id = $1 union all select 1 from tickets where team_id = $1 limit 1', [id]);
          // A team with work keeps it: the provider's group is unlinked, the team stays for the admin to wind down.
          if (rows[0]) await tx.query('update teams set external_id = null where id = $1', [id]);
          else await tx.query('delete from teams where id = $1', [id]);
          await audit(tx, actor, rows[0] ? 'team.unlink' : 'team.delete', 'team', id, before, rows[0] ? { ...before, externalId: null } : null);
        });
      await after({ ...nothingAfter() });
      return reply.status(204).send();
    });
  });
}

/** A name or extension taken: RFC 7644 §3.3 says 409 with scimType uniqueness. */
function uniqueness(err: unknown): never {
  if (err instanceof HttpError && err.status === 409) throw scimError(409, err.message, 'uniqueness');
  if (err instanceof HttpError && !(err instanceof ScimHttpError)) throw scimError(err.status, err.message, err.status === 400 ? 'invalidValue' : undefined);
  throw err;
}
