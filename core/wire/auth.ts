import { z } from 'zod';
import { Locale } from '../locale';

/** Wire contract of the central server's account routes (`/auth/*`, `/me`). */
export const Role = z.enum(['agent', 'lead', 'admin']);
export type Role = z.infer<typeof Role>;

export const Team = z.object({ id: z.string(), name: z.string() });
export type Team = z.infer<typeof Team>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  teams: z.array(Team),
  language: Locale,
  /** SIP extension provisioned for the softphone, if any. */
  extension: z.string().nullable(),
});
export type User = z.infer<typeof User>;

export const LoginRequest = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(10).max(500) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const TokenPair = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  /** One-time: each refresh returns a new one, and reusing an old one revokes the session. */
  refreshToken: z.string(),
});
export type TokenPair = z.infer<typeof TokenPair>;

export const LoginResponse = TokenPair.extend({ user: User });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** The codes the server puts in ApiError bodies; `error.code` stays a string so older clients tolerate new codes. */
export const ApiErrorCode = z.enum([
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'method-not-allowed',
  'payload-too-large',
  'unsupported-media-type',
  'too-many-requests',
  'unavailable',
  'internal',
  // Sync (core/sync/wire.ts): the client acts on each, see there.
  'client-reset',
  'mutation-gap',
  'cursor-reset',
  // Chat (core/wire/chat.ts): the conversation's state does not allow it (taken, closed, over capacity).
  'conflict',
  // Widget quotas (server/widget/quotas.ts): 429 with Retry-After, or 413 for bytes; the widget shows each in its language.
  'quota-chats',
  'quota-messages',
  'quota-files',
  'quota-file-bytes',
  // Sign-in (core/wire/sso.ts): password sign-in turned off by the server's configuration.
  'password-login-disabled',
  // Single sign-on: the provider or the ID token refused the sign-in, or no agent matches the person.
  'sso-rejected',
  'sso-unknown-user',
  // Widget (issue 20): a lead blocked this customer's address for abuse; the widget shows a polite notice.
  'blocked',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** Every error the server returns has this body, with an HTTP status that matches. */
export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiError = z.infer<typeof ApiError>;

export const Health = z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']), version: z.string() });
export type Health = z.infer<typeof Health>;

export const TeamMember = z.object({
  id: z.string(),
  displayName: z.string(),
  role: Role,
  extension: z.string().nullable(),
});
export const TeamRoster = z.object({ team: Team, members: z.array(TeamMember) });
export type TeamRoster = z.infer<typeof TeamRoster>;
