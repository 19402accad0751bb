import { randomUUID } from 'node:crypto';
import type { Build, Entry } from './authzTable';
import type { SecurityWorld } from './authzWorld';

/**
 * The admin console's routes (issue 16) in the authorization matrix: admins everything; a Berlin lead the
 * Berlin team's queues, settings and members' skills; nobody else anything. Routes that change a person
 * act on a throwaway person each time, so one caller's deactivation does not change the next one's answer.
 */

let n = 0;
const next = () => `${Date.now().toString(36)}-${(n += 1)}`;

async function throwaway(w: SecurityWorld, withExtension = false): Promise<string> {
  const { rows } = await w.db.query<{ id: string }>(
    "insert into users (username, display_name, role, password_hash, extension, sip_password) values ($1, 'Throwaway', 'agent', 'sso-only', $2, $3) returning id",
    [`throwaway-${next()}`, withExtension ? String(40000 + n) : null, withExtension ? 'sip-secret' : null],
  );
  await w.db.query('insert into team_members (team_id, user_id) values ($1, $2)', [w.berlin, rows[0]!.id]);
  return rows[0]!.id;
}

async function provider(w: SecurityWorld, table: 'messaging_providers' | 'scim_providers'): Promise<string> {
  const id = `p-${next()}`;
  if (table === 'messaging_providers') await w.db.query("insert into messaging_providers (id, name, secret, callback_url) values ($1, 'P', 'provider-secret-0123456789', 'https://p.invalid/cb')", [id]);
  else await w.db.query("insert into scim_providers (id, name, token_hash) values ($1, 'P', $2)", [id, randomUUID()]);
  return id;
}

const get = (url: string): Build => async () => ({ url });
const adminOnly = '                                    401  401  401  403  403  403  403  2xx';
const leadsOwn = '                                     401  401  401  403  403  403  2xx  2xx';
const readLeads = '                                    401  401  401  403  2xx  403  2xx  2xx';

export const adminRouteTable: Record<string, Entry> = {
  //                                                                none garb out  oAgt oLd  agt  lead admin
  'GET /admin/people': { kind: 'user', answers: readLeads, request: get('/admin/people') },
  'POST /admin/people': { kind: 'user', answers: adminOnly, request: async () => ({ url: '/admin/people', payload: { username: `new-${next()}`, displayName: 'New' } }) },
  'PATCH /admin/people/:id': { kind: 'user', answers: leadsOwn, request: async (w) => ({ url: `/admin/people/${w.people.agent.id}`, payload: { skills: ['billing'] } }) },
  'POST /admin/people/:id/deactivate': { kind: 'user', answers: adminOnly, request: async (w) => ({ url: `/admin/people/${await throwaway(w)}/deactivate`, payload: {} }) },
  'POST /admin/people/:id/reactivate': { kind: 'user', answers: adminOnly, request: async (w) => ({ url: `/admin/people/${await throwaway(w)}/reactivate`, payload: {} }) },
  'POST /admin/people/:id/password': { kind: 'user', answers: adminOnly, request: async (w) => ({ url: `/admin/people/${await throwaway(w)}/password`, payload: { sso: true } }) },
  'POST /admin/people/:id/sip-password': { kind: 'user', answers: adminOnly, request: async (w) => ({ url: `/admin/people/${await throwaway(w, true)}/sip-password`, payload: {} }) },
  'POST /admin/people/import': { kind: 'user', answers: adminOnly, request: async () => ({ url: '/admin/people/import', payload: { csv: `username,display_name\nimp-${next()},Imported\n`, dryRun: true } }) },
  'GET /admin/teams': { kind: 'user', answers: readLeads, request: get('/admin/teams') },
  'POST /admin/teams': { kind: 'user', answers: adminOnly, request: async () => ({ url: '/admin/teams', payload: { name: `Team ${next()}`, timeZone: 'Europe/Lisbon' } }) },
  'PATCH /admin/teams/:id': { kind: 'user', answers: leadsOwn, request: async (w) => ({ url: `/admin/teams/${w.berlin}`, payload: { timeZone: 'Europe/Berlin' } }) },
  'GET /admin/queues': { kind: 'user', answers: readLeads, request: get('/admin/queues') },
  'POST /admin/queues': { kind: 'user', answers: leadsOwn, request: async (w) => ({ url: '/admin/queues', payload: { name: 'Q', teamId: w.berlin, product: `p-${next()}` } }) },
  'PATCH /admin/queues/:id': { kind: 'user', answers: leadsOwn, request: async (w) => ({ url: `/admin/queues/${w.queues.berlin}`, payload: { offerTimeoutSeconds: 30 } }) },
  'GET /admin/messaging-providers': { kind: 'user', answers: adminOnly, request: get('/admin/messaging-providers') },
  'POST /admin/messaging-providers': { kind: 'user', answers: adminOnly, request: async () => ({ url: '/admin/messaging-providers', payload: { id: `m-${next()}`, name: 'M', callbackUrl: 'https://m.invalid/cb' } }) },
  'POST /admin/messaging-providers/:id/rotate': { kind: 'user', answers: adminOnly, request: async (w) => ({ url: `/admin/messaging-providers/${await provider(w, 'messaging_providers')}/rotate`, payload: {} }) },
  'GET /admin/scim-providers': { kind: 'user', answers: adminOnly, request: get('/admin/scim-providers') },
  'POST /admin/scim-providers': { kind: 'user', answers: adminOnly, request: async () => ({ url: '/admin/scim-providers', payload: { id: `s-${next()}`, name: 'S' } }) },
  'POST /admin/scim-providers/:id/rotate': { kind: 'user', answers: adminOnly, request: async (w) => ({ url: `/admin/scim-providers/${await provider(w, 'scim_providers')}/rotate`, payload: {} }) },
  'GET /admin/audit': { kind: 'user', answers: adminOnly, request: get('/admin/audit') },
  // SCIM (issue 16): an identity provider's own bearer token; a user's access token, or none, is 401 (scim.test.ts covers the provider's token).
  'GET /scim/v2/ServiceProviderConfig': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/ServiceProviderConfig' }) },
  'GET /scim/v2/ResourceTypes': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/ResourceTypes' }) },
  'GET /scim/v2/Schemas': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Schemas' }) },
  'GET /scim/v2/Users': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Users' }) },
  'POST /scim/v2/Users': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Users', payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' } }) },
  'GET /scim/v2/Users/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Users/00000000-0000-4000-8000-000000000000' }) },
  'PUT /scim/v2/Users/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Users/00000000-0000-4000-8000-000000000000', payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' } }) },
  'PATCH /scim/v2/Users/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Users/00000000-0000-4000-8000-000000000000', payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' } }) },
  'DELETE /scim/v2/Users/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Users/00000000-0000-4000-8000-000000000000' }) },
  'GET /scim/v2/Groups': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Groups' }) },
  'POST /scim/v2/Groups': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Groups', payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' } }) },
  'GET /scim/v2/Groups/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Groups/00000000-0000-4000-8000-000000000000' }) },
  'PUT /scim/v2/Groups/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Groups/00000000-0000-4000-8000-000000000000', payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' } }) },
  'PATCH /scim/v2/Groups/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Groups/00000000-0000-4000-8000-000000000000', payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' } }) },
  'DELETE /scim/v2/Groups/:id': { kind: 'public', answer: '401', why: 'SCIM takes only a provider token', request: async () => ({ url: '/scim/v2/Groups/00000000-0000-4000-8000-000000000000' }) },
};
