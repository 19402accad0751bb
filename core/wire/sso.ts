import { z } from 'zod';
import { PkceVerifier } from '../auth/sso';

/** Wire contract of the central server's single sign-on routes (`/auth/sso/*`). */

/** What a client needs to send the user to the company's identity provider. */
export const SsoProvider = z.object({
  issuer: z.string(),
  clientId: z.string(),
  authorizationEndpoint: z.string(),
  scopes: z.array(z.string()),
  /** RFC 9207: the provider puts `iss` in its responses, so a response without it is refused. */
  issParameterSupported: z.boolean(),
});
export type SsoProvider = z.infer<typeof SsoProvider>;

/** GET /auth/sso/config (no auth): the login screen asks before it shows its buttons. */
export const SsoConfig = z.object({
  /** False when the server refuses POST /auth/login (SWITCHBOARD_PASSWORD_LOGIN=off). */
  passwordLoginEnabled: z.boolean(),
  /** Null when single sign-on is not configured, or the provider cannot be reached (see `ssoProblem`). */
  sso: SsoProvider.nullable(),
  ssoProblem: z.string().nullable(),
});
export type SsoConfig = z.infer<typeof SsoConfig>;

/** POST /auth/sso/exchange: the server redeems the code at the provider and answers with a LoginResponse. */
export const SsoExchangeRequest = z.object({
  code: z.string().min(1).max(4096),
  codeVerifier: PkceVerifier,
  redirectUri: z.string().min(1).max(2048),
  nonce: z.string().min(16).max(200),
});
export type SsoExchangeRequest = z.infer<typeof SsoExchangeRequest>;
