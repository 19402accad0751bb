import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/**
 * A stand-in identity provider for unit tests, answered through an injected `fetch`: discovery, JWKS and
 * a token endpoint that redeems codes the test registered. Real cryptography (ES256 keys from jose), so
 * the verifier under test sees genuine signatures. The e2e spec uses the real oidc-provider instead.
 */
export type FakeIdp = {
  issuer: string;
  clientId: string;
  fetch: typeof fetch;
  /** Registers a code; redeeming it returns an ID token with these claims (plus iss/aud/iat/exp unless overridden). */
  issueCode(code: string, claims: JWTPayload & { nonce: string; sub: string }, options?: { verifier?: string; redirectUri?: string }): void;
  sign(claims: JWTPayload, options?: { kid?: string }): Promise<string>;
  /** How many times each URL was fetched. */
  calls: string[];
};

export async function createFakeIdp(issuer = 'https://idp.example.test', clientId = 'switchboard-desktop'): Promise<FakeIdp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { claims: JWTPayload; verifier?: string; redirectUri?: string }>();
  const calls: string[] = [];

  const sign = (claims: JWTPayload, options: { kid?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: issuer, aud: clientId, iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k1' })
      .sign(privateKey);
  };

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push(url);
    if (url === `${issuer}/.well-known/openid-configuration`) {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url === `${issuer}/jwks`) return json(200, { keys: [jwk] });
    if (url === `${issuer}/token`) {
      const form = new URLSearchParams(String(init?.body ?? ''));
      const entry = codes.get(form.get('code') ?? '');
      if (!entry) return json(400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
      codes.delete(form.get('code')!);
      if (entry.verifier && entry.verifier !== form.get('code_verifier')) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      if (entry.redirectUri && entry.redirectUri !== form.get('redirect_uri')) return json(400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
      return json(200, { id_token: await sign(entry.claims), token_type: 'Bearer', access_token: 'at' });
    }
    return json(404, { error: 'not_found' });
  };

  return {
    issuer,
    clientId,
    fetch: fakeFetch as typeof fetch,
    calls,
    sign,
    issueCode(code, claims, options = {}) {
      codes.set(code, { claims, ...options });
    },
  };
}
