import { z } from 'zod';
import {
  AdminPerson,
  AdminProvider,
  AdminQueue,
  AdminTeam,
  AuditEntry,
  ImportResult,
  OnceSecret,
  type MessagingProviderCreate,
  type PersonCreate,
  type PersonPatch,
  type QueueCreate,
  type QueuePatch,
  type ScimProviderCreate,
  type TeamCreate,
  type TeamPatch,
} from '../../../core/admin/wire';
import type { Api } from '../api/api';

/** The admin console's server calls (server/admin/routes.ts); every answer parsed with core/admin/wire. */
export type AdminService = {
  people(): Promise<AdminPerson[]>;
  createPerson(p: PersonCreate): Promise<AdminPerson>;
  updatePerson(id: string, p: PersonPatch): Promise<AdminPerson>;
  setActive(id: string, active: boolean): Promise<AdminPerson>;
  resetPassword(id: string, body: { password: string } | { sso: true }): Promise<void>;
  rotateSip(id: string): Promise<string>;
  teams(): Promise<AdminTeam[]>;
  createTeam(t: TeamCreate): Promise<AdminTeam>;
  updateTeam(id: string, t: TeamPatch): Promise<AdminTeam>;
  queues(): Promise<AdminQueue[]>;
  createQueue(q: QueueCreate): Promise<AdminQueue>;
  updateQueue(id: string, q: QueuePatch): Promise<AdminQueue>;
  providers(kind: 'messaging' | 'scim'): Promise<AdminProvider[]>;
  createProvider(kind: 'messaging', p: MessagingProviderCreate): Promise<string>;
  createProvider(kind: 'scim', p: ScimProviderCreate): Promise<string>;
  rotateProvider(kind: 'messaging' | 'scim', id: string): Promise<string>;
  audit(): Promise<AuditEntry[]>;
  importPeople(csv: string, dryRun: boolean): Promise<ImportResult>;
};

const enc = encodeURIComponent;
const providerPath = (kind: 'messaging' | 'scim') => (kind === 'messaging' ? '/admin/messaging-providers' : '/admin/scim-providers');

export function createAdminService(api: Api): AdminService {
  return {
    people: async () => z.object({ people: z.array(AdminPerson) }).parse(await api.getJson('/admin/people')).people,
    createPerson: async (p) => AdminPerson.parse(await api.postJson('/admin/people', p)),
    updatePerson: async (id, p) => AdminPerson.parse(await api.patchJson(`/admin/people/${enc(id)}`, p)),
    setActive: async (id, active) => AdminPerson.parse(await api.postJson(`/admin/people/${enc(id)}/${active ? 'reactivate' : 'deactivate'}`, {})),
    resetPassword: async (id, body) => void (await api.postJson(`/admin/people/${enc(id)}/password`, body)),
    rotateSip: async (id) => OnceSecret.parse(await api.postJson(`/admin/people/${enc(id)}/sip-password`, {})).secret,
    teams: async () => z.object({ teams: z.array(AdminTeam) }).parse(await api.getJson('/admin/teams')).teams,
    createTeam: async (t) => AdminTeam.parse(await api.postJson('/admin/teams', t)),
    updateTeam: async (id, t) => AdminTeam.parse(await api.patchJson(`/admin/teams/${enc(id)}`, t)),
    queues: async () => z.object({ queues: z.array(AdminQueue) }).parse(await api.getJson('/admin/queues')).queues,
    createQueue: async (q) => AdminQueue.parse(await api.postJson('/admin/queues', q)),
    updateQueue: async (id, q) => AdminQueue.parse(await api.patchJson(`/admin/queues/${enc(id)}`, q)),
    providers: async (kind) => z.object({ providers: z.array(AdminProvider) }).parse(await api.getJson(providerPath(kind))).providers,
    createProvider: async (kind: 'messaging' | 'scim', p: MessagingProviderCreate | ScimProviderCreate) => OnceSecret.parse(await api.postJson(providerPath(kind), p)).secret,
    rotateProvider: async (kind, id) => OnceSecret.parse(await api.postJson(`${providerPath(kind)}/${enc(id)}/rotate`, {})).secret,
    audit: async () => z.object({ entries: z.array(AuditEntry) }).parse(await api.getJson('/admin/audit?limit=200')).entries,
    importPeople: async (csv, dryRun) => ImportResult.parse(await api.postJson('/admin/people/import', { csv, dryRun })),
  };
}
