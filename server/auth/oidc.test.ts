import { createLocalJWKSet, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOidcClient, OidcError, verifyIdToken } from './oidc';
import { createFakeIdp, type FakeIdp } from '../../tests/support/server/oidcFakes';

let idp: FakeIdp;
let keys: ReturnType<typeof createLocalJWKSet>;
const nonce = 'nonce-0123456789abcdef';

beforeAll(async () => {
  idp = await createFakeIdp();
  const res = await idp.fetch(`${idp.issuer}/jwks`);
  keys = createLocalJWKSet((await res.json()) as Parameters<typeof createLocalJWKSet>[0]);
});

const verify = (token: string, overrides: Partial<Parameters<typeof verifyIdToken>[1]> = {}) =>
  verifyIdToken(token, { issuer: idp.issuer, clientId: idp.clientId, nonce, keys, ...overrides });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OidcError);
  expect((err as OidcError).kind).toBe('rejected');
  return (err as OidcError).message;
}

describe('verifyIdToken', () => {
  it('accepts a token from the configured issuer, for us, with our nonce', async () => {
    const claims = await verify(await idp.sign({ sub: 'u1', nonce, preferred_username: 'agent3' }));
    expect(claims).toMatchObject({ sub: 'u1', iss: idp.issuer, preferred_username: 'agent3' });
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusal(verify(await idp.sign({ sub: 'u1', nonce, iss: 'https://evil.example' })))).toMatch(/issuer/);
  });

  it('refuses a token issued to another client (audience, then azp)', async () => {
    expect(await refusal(verify(await idp.sign({ sub: 'u1', nonce, aud: 'someone-else' })))).toMatch(/audience/);
    expect(await refusal(verify(await idp.sign({ sub: 'u1', nonce, aud: [idp.clientId, 'other'], azp: 'other' })))).toMatch(/azp/);
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(await refusal(verify(await idp.sign({ sub: 'u1', nonce, iat: past - 300, exp: past })))).toMatch(/expired/);
  });

  it('refuses a token whose nonce is not this sign-in’s (replayed from another sign-in)', async () => {
    expect(await refusal(verify(await idp.sign({ sub: 'u1', nonce: 'another-sign-in-nonce' })))).toMatch(/nonce/);
    expect(await refusal(verify(await idp.sign({ sub: 'u1' })))).toMatch(/nonce/);
  });

  it('refuses a token signed by a key the provider did not publish, and an HS256 token', async () => {
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({ sub: 'u1', nonce }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(idp.issuer).setAudience(idp.clientId).setIssuedAt().setExpirationTime('5m').sign(other.privateKey);
    expect(await refusal(verify(forged))).toMatch(/does not verify/);
    const hs = await new SignJWT({ sub: 'u1', nonce }).setProtectedHeader({ alg: 'HS256' }).setIssuer(idp.issuer).setAudience(idp.clientId).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await refusal(verify(hs))).toMatch(/does not verify/);
  });
});

describe('createOidcClient', () => {
  it('redeems a code with its PKCE verifier and returns the verified claims', async () => {
    const client = createOidcClient({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: null, scopes: ['openid'] }, { fetch: idp.fetch });
    idp.issueCode('code-1', { sub: 'u9', nonce }, { verifier: 'v'.repeat(43) });
    expect(await client.redeem({ code: 'code-1', codeVerifier: 'v'.repeat(43), redirectUri: 'http://127.0.0.1:1/cb', nonce })).toMatchObject({ sub: 'u9' });
  });

  it('passes on the provider’s refusal of a replayed code or a wrong verifier', async () => {
    const client = createOidcClient({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: null, scopes: ['openid'] }, { fetch: idp.fetch });
    idp.issueCode('code-2', { sub: 'u9', nonce }, { verifier: 'v'.repeat(43) });
    expect(await refusal(client.redeem({ code: 'code-2', codeVerifier: 'w'.repeat(43), redirectUri: 'x', nonce }))).toMatch(/PKCE verification failed/);
    expect(await refusal(client.redeem({ code: 'code-2', codeVerifier: 'v'.repeat(43), redirectUri: 'x', nonce }))).toMatch(/invalid_grant/);
  });

  it('refuses a discovery document that names another issuer (OpenID Discovery §4.3)', async () => {
    const client = createOidcClient({ issuer: `${idp.issuer}/tenant`, clientId: idp.clientId, clientSecret: null, scopes: ['openid'] }, {
      fetch: async (input) => (String(input).endsWith('/.well-known/openid-configuration') ? idp.fetch(`${idp.issuer}/.well-known/openid-configuration`) : idp.fetch(input)),
    });
    const err = await client.discover().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OidcError);
    expect(err).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/names issuer/) });
  });

  it('says unavailable, not rejected, when the provider cannot be reached', async () => {
    const client = createOidcClient({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: null, scopes: ['openid'] }, {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(client.discover()).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
