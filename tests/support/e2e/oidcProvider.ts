import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider on loopback for the SSO e2e: `oidc-provider` (a certified implementation) with
 * its development login and consent forms, PKCE required, and one public native client (RFC 8252) registered for
 * the desktop app's loopback redirect and the web app's own address. Every login name is accepted and
 * becomes `sub` and `preferred_username`, so typing a seeded agent's username signs in as that agent.
 */
export type TestProvider = { issuer: string; clientId: string; tokenEndpoint: string; close(): Promise<void> };

export async function startOidcProvider(options: { port: number; clientId: string; redirectUris: string[] }): Promise<TestProvider> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: options.redirectUris,
      },
    ],
    // Every client must use PKCE (the default asks it of native clients only; be explicit).
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, preferred_username: id, name: id }) };
    },
    features: { devInteractions: { enabled: true } },
    // The profile claims go into the ID token itself (as Entra ID, Okta and Keycloak do), where the server maps them.
    conformIdTokenClaims: false,
    cookies: { keys: ['switchboard-e2e-cookie-key-0123456789'] },
  });
  provider.on('server_error', (_ctx, err) => console.error('[oidc-provider]', err));
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    issuer,
    clientId: options.clientId,
    tokenEndpoint: `http://127.0.0.1:${port}/token`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
