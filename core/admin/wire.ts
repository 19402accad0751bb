import { z } from 'zod';
import { Locale } from '../locale';
import { Role } from '../wire/auth';

/**
 * The admin console's wire (server/admin, renderer/features/admin): people, teams, queues, messaging
 * providers, SCIM providers, the audit and the CSV import. One schema per body, shared by the server's
 * validation, the console's forms and the CSV import's per-row checks, so a row the dry run accepts is a
 * row the write accepts.
 */

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,99}$/, 'letters, digits and . _ @ - only (up to 100)');
/** What Kamailio's subscriber table can hold (server/pbx/subscribers.ts safeUser), digits for a desk phone. */
export const Extension = z.string().trim().regex(/^[0-9]{2,10}$/, 'must be 2 to 10 digits');
export const Skill = z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u, 'a skill is a short tag (up to 40 letters or digits)');
export const Password = z.string().min(10, 'at least 10 characters').max(200);
const Uuid = z.uuid('must be an id');
const DisplayName = z.string().trim().min(1, 'required').max(100);

export const AdminPerson = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  language: Locale,
  extension: z.string().nullable(),
  teamIds: z.array(z.string()),
  skills: z.array(z.string()),
  languages: z.array(Locale),
  maxChats: z.number().int().nullable(),
  active: z.boolean(),
  /** Password sign-in off for this person: single sign-on only. */
  ssoOnly: z.boolean(),
  /** The identity provider that manages the person (SCIM), if any. */
  managedBy: z.string().nullable(),
});
export type AdminPerson = z.infer<typeof AdminPerson>;

export const PersonCreate = z.object({
  username: Username,
  displayName: DisplayName,
  role: Role.default('agent'),
  language: Locale.default('en'),
  extension: Extension.nullable().default(null),
  teamIds: z.array(Uuid).max(20).default([]),
  skills: z.array(Skill).max(30).default([]),
  languages: z.array(Locale).max(3).default([]),
  maxChats: z.number().int().min(1).max(20).nullable().default(null),
  /** Without one the person signs in with single sign-on only. */
  password: Password.optional(),
});
export type PersonCreate = z.input<typeof PersonCreate>;

export const PersonPatch = z
  .object({
    displayName: DisplayName,
    role: Role,
    language: Locale,
    extension: Extension.nullable(),
    teamIds: z.array(Uuid).max(20),
    skills: z.array(Skill).max(30),
    languages: z.array(Locale).max(3),
    maxChats: z.number().int().min(1).max(20).nullable(),
  })
  .partial()
  .strict();
export type PersonPatch = z.infer<typeof PersonPatch>;

/** Reset: a new password the admin hands over, or `sso` to turn password sign-in off. */
export const PasswordReset = z.union([z.object({ password: Password }).strict(), z.object({ sso: z.literal(true) }).strict()]);
export type PasswordReset = z.infer<typeof PasswordReset>;

/** A secret shown once (a SIP password, a provider secret, a SCIM token): never readable again. */
export const OnceSecret = z.object({ secret: z.string() });
export type OnceSecret = z.infer<typeof OnceSecret>;

export const AdminTeam = z.object({
  id: z.string(),
  name: z.string(),
  language: Locale,
  timeZone: z.string(),
  memberCount: z.number().int(),
});
export type AdminTeam = z.infer<typeof AdminTeam>;

export const TeamCreate = z.object({ name: DisplayName, language: Locale.default('en'), timeZone: z.string().trim().min(1).max(64).default('UTC') });
export type TeamCreate = z.input<typeof TeamCreate>;
export const TeamPatch = z.object({ name: DisplayName, language: Locale, timeZone: z.string().trim().min(1).max(64) }).partial().strict();
export type TeamPatch = z.infer<typeof TeamPatch>;

export const QueueMode = z.enum(['offer', 'auto']);
const Country = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter code');
const Product = z.string().trim().min(1).max(60);

export const AdminQueue = z.object({
  id: z.string(),
  name: z.string(),
  teamId: z.string(),
  language: Locale.nullable(),
  country: z.string().nullable(),
  product: z.string().nullable(),
  mode: QueueMode,
  offerTimeoutSeconds: z.number().int(),
});
export type AdminQueue = z.infer<typeof AdminQueue>;

export const QueueCreate = z.object({
  name: DisplayName,
  teamId: Uuid,
  language: Locale.nullable().default(null),
  country: Country.nullable().default(null),
  product: Product.nullable().default(null),
  mode: QueueMode.default('offer'),
  offerTimeoutSeconds: z.number().int().min(5).max(600).default(30),
});
export type QueueCreate = z.input<typeof QueueCreate>;
export const QueuePatch = z
  .object({ name: DisplayName, language: Locale.nullable(), country: Country.nullable(), product: Product.nullable(), mode: QueueMode, offerTimeoutSeconds: z.number().int().min(5).max(600) })
  .partial()
  .strict();
export type QueuePatch = z.infer<typeof QueuePatch>;

const ProviderId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and - (up to 40)');
export const AdminProvider = z.object({ id: z.string(), name: z.string(), callbackUrl: z.string().optional(), createdAt: z.string() });
export type AdminProvider = z.infer<typeof AdminProvider>;
export const MessagingProviderCreate = z.object({ id: ProviderId, name: DisplayName, callbackUrl: z.url({ protocol: /^https?$/ }) });
export type MessagingProviderCreate = z.infer<typeof MessagingProviderCreate>;
export const ScimProviderCreate = z.object({ id: ProviderId, name: DisplayName });
export type ScimProviderCreate = z.infer<typeof ScimProviderCreate>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ImportRequest = z.object({ csv: z.string().max(2_000_000), dryRun: z.boolean() });
export type ImportRequest = z.infer<typeof ImportRequest>;
/** Every problem of every row (line numbers as a spreadsheet shows them, the header is line 1). */
export const ImportProblem = z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;
export const ImportResult = z.object({ dryRun: z.boolean(), rows: z.number().int(), created: z.number().int(), problems: z.array(ImportProblem) });
export type ImportResult = z.infer<typeof ImportResult>;
