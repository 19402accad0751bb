import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { z } from 'zod';

/**
 * The central server as an OpenID Connect relying party for the desktop app's sign-in. The app (a public
 * native client, RFC 8252) obtains the authorization code with PKCE; the server redeems it at the
 * company's token endpoint and trusts the ID token only after checking issuer, audience, expiry, nonce
 * and signature against the provider's published keys (OpenID Connect Core §3.1.3.7).
 */

export type OidcSettings = {
  issuer: string;
  clientId: string;
  /** Only for a provider that insists on a confidential client (client_secret_basic). */
  clientSecret: string | null;
  scopes: readonly string[];
};

/** 'unavailable': the provider could not be asked (network, 5xx, bad discovery). 'rejected': it said no, or its answer does not verify. */
export class OidcError extends Error {
  override readonly name = 'OidcError';
  constructor(
    readonly kind: 'unavailable' | 'rejected',
    message: string,
  ) {
    super(message);
  }
}

const Discovery = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});
export type Discovery = z.infer<typeof Discovery>;

const TokenResponse = z.object({ id_token: z.string().min(1), token_type: z.string().optional() });
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });
const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** Asymmetric algorithms only: an HS256 ID token would be signed with the client secret a public client does not have. */
const allowedAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export type IdTokenClaims = JWTPayload & { sub: string; iss: string };

export type VerifyOptions = {
  issuer: string;
  clientId: string;
  nonce: string;
  keys: ReturnType<typeof createLocalJWKSet>;
  /** Seconds since epoch; tests pass a fixed clock. */
  now?: number;
  /** Seconds of clock skew tolerated between this server and the provider. */
  clockTolerance?: number;
};

/** OpenID Connect Core §3.1.3.7: every check, or OidcError('rejected') saying which one failed. */
export async function verifyIdToken(idToken: string, options: VerifyOptions): Promise<IdTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, options.keys, {
      issuer: options.issuer,
      audience: options.clientId,
      algorithms: allowedAlgorithms,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      clockTolerance: options.clockTolerance ?? 60,
      ...(options.now === undefined ? {} : { currentDate: new Date(options.now * 1000) }),
    }));
  } catch (err) {
    if (err instanceof errors.JWTClaimValidationFailed) throw new OidcError('rejected', `ID token ${err.claim === 'iss' ? 'issuer' : err.claim === 'aud' ? 'audience' : `"${err.claim}" claim`} is not valid (${err.reason})`);
    if (err instanceof errors.JWTExpired) throw new OidcError('rejected', 'ID token has expired');
    if (err instanceof errors.JOSEError) throw new OidcError('rejected', `ID token does not verify (${err.code})`);
    throw err;
  }
  // §3.1.3.7 (5): several audiences must name us as the authorized party.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== options.clientId) throw new OidcError('rejected', 'ID token was issued to another party (azp)');
  if (payload.azp !== undefined && payload.azp !== options.clientId) throw new OidcError('rejected', 'ID token was issued to another party (azp)');
  // §3.1.3.7 (11): the nonce ties the token to the sign-in this client started.
  if (payload.nonce !== options.nonce) throw new OidcError('rejected', 'ID token nonce does not match this sign-in');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new OidcError('rejected', 'ID token has no subject');
  return payload as IdTokenClaims;
}

export type OidcClient = {
  readonly settings: OidcSettings;
  /** The provider's discovery document, fetched once and kept; a failure is retried on the next call. */
  discover(): Promise<Discovery>;
  /** Redeems the code (with its PKCE verifier) and returns the verified ID token's claims. */
  redeem(input: { code: string; codeVerifier: string; redirectUri: string; nonce: string }): Promise<IdTokenClaims>;
};

export type OidcClientDeps = { fetch?: typeof fetch; timeoutMs?: number; now?: () => number };

export function createOidcClient(settings: OidcSettings, deps: OidcClientDeps = {}): OidcClient {
  const doFetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = deps.timeoutMs ?? 10_000;
  let discovery: Promise<Discovery> | null = null;
  let keys: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number } | null = null;

  async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json', ...init.headers } });
    } catch (err) {
      throw new OidcError('unavailable', `identity provider unreachable (${err instanceof Error ? err.message : String(err)})`);
    }
    const body: unknown = await res.json().catch(() => undefined);
    return { status: res.status, body };
  }

  async function loadDiscovery(): Promise<Discovery> {
    const url = `${settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const { status, body } = await getJson(url);
    const parsed = Discovery.safeParse(body);
    if (status !== 200 || !parsed.success) throw new OidcError('unavailable', `discovery at ${url} failed (HTTP ${status})`);
    // OpenID Connect Discovery §4.3: the document must name exactly the issuer we asked, or it is someone else's.
    if (parsed.data.issuer !== settings.issuer) throw new OidcError('unavailable', `discovery names issuer ${parsed.data.issuer}, configured ${settings.issuer}`);
    return parsed.data;
  }

  function discover(): Promise<Discovery> {
    discovery ??= loadDiscovery().catch((err: unknown) => {
      discovery = null;
      throw err;
    });
    return discovery;
  }

  async function loadKeys(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const { jwks_uri } = await discover();
    const { status, body } = await getJson(jwks_uri);
    const parsed = Jwks.safeParse(body);
    if (status !== 200 || !parsed.success) throw new OidcError('unavailable', `the provider's keys at ${jwks_uri} could not be read (HTTP ${status})`);
    const set = createLocalJWKSet(parsed.data as JSONWebKeySet);
    keys = { set, fetchedAt: Date.now() };
    return set;
  }

  async function verify(idToken: string, nonce: string): Promise<IdTokenClaims> {
    const options = { issuer: settings.issuer, clientId: settings.clientId, nonce, ...(deps.now ? { now: Math.floor(deps.now() / 1000) } : {}) };
    const set = keys?.set ?? (await loadKeys());
    try {
      return await verifyIdToken(idToken, { ...options, keys: set });
    } catch (err) {
      // Key rotation: a token signed with a key we have not seen yet gets one fresh look at the JWKS, at most every 30 s.
      if (err instanceof OidcError && /ERR_JWKS_NO_MATCHING_KEY/.test(err.message) && Date.now() - (keys?.fetchedAt ?? 0) > 30_000) {
        return verifyIdToken(idToken, { ...options, keys: await loadKeys() });
      }
      throw err;
    }
  }

  return {
    settings,
    discover,
    async redeem({ code, codeVerifier, redirectUri, nonce }) {
      const { token_endpoint } = await discover();
      const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier };
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (settings.clientSecret) {
        // RFC 6749 §2.3.1: both parts form-encoded before base64.
        const pair = `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`;
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      } else {
        form.client_id = settings.clientId;
      }
      const { status, body } = await getJson(token_endpoint, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
      if (status !== 200) {
        const error = TokenError.safeParse(body);
        if (error.success && status < 500) {
          throw new OidcError('rejected', `the identity provider refused the code (${error.data.error}${error.data.error_description ? `: ${error.data.error_description}` : ''})`);
        }
        throw new OidcError('unavailable', `token endpoint answered HTTP ${status}`);
      }
      const tokens = TokenResponse.safeParse(body);
      if (!tokens.success) throw new OidcError('rejected', 'the token response has no ID token');
      return verify(tokens.data.id_token, nonce);
    },
  };
}
