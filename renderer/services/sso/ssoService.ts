import { buildAuthorizationUrl, parseCallback, pkceChallenge, randomToken, SsoPending, type SsoCallbackProblem, type SsoCrypto } from '../../../core/auth/sso';
import type { LoginResponse } from '../../../core/wire/auth';
import type { SsoProvider } from '../../../core/wire/sso';
import type { Api } from '../api/api';
import type { Host } from '../host/host';

/**
 * Single sign-on in the renderer: starts an attempt (PKCE verifier, state, nonce kept in sessionStorage,
 * which survives the web host's full-page trip to the provider and back but not the tab), opens the
 * provider through the host, checks the response (core/auth/sso.ts) and hands the code to the server.
 * The verifier never leaves this client except to the central server that redeems the code.
 */

/** A response refused here, before anything reached the server. */
export class SsoError extends Error {
  override readonly name = 'SsoError';
  constructor(
    readonly problem: SsoCallbackProblem,
    message: string,
  ) {
    super(message);
  }
}

export type SsoService = {
  /** Resolves with the session (Electron), or null when this page has navigated to the provider (browser). */
  signIn(provider: SsoProvider, uiLocale: string): Promise<LoginResponse | null>;
  /** Checks a callback URL against the pending attempt and exchanges its code; the attempt is used up either way. */
  complete(callbackUrl: string): Promise<LoginResponse>;
};

export type SsoServiceDeps = {
  api: Pick<Api, 'ssoExchange'>;
  host: Pick<Host, 'ssoBegin' | 'ssoAuthorize'>;
  /** sessionStorage in the app. */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  crypto: SsoCrypto;
  now?: () => number;
};

export const ssoPendingKey = 'switchboard.sso-pending';

/** WebCrypto, as the browser and Electron's renderer provide it. */
export function webSsoCrypto(c: Crypto = globalThis.crypto): SsoCrypto {
  return {
    randomBytes: (n) => c.getRandomValues(new Uint8Array(n)),
    sha256: async (data) => new Uint8Array(await c.subtle.digest('SHA-256', new Uint8Array(data))),
  };
}

export function createSsoService(deps: SsoServiceDeps): SsoService {
  const now = deps.now ?? (() => Date.now());

  /** Reads and removes the pending attempt: a response can be used once, whatever the outcome. */
  function takePending(): SsoPending | null {
    const raw = deps.storage.getItem(ssoPendingKey);
    deps.storage.removeItem(ssoPendingKey);
    if (raw === null) return null;
    try {
      const parsed = SsoPending.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async function complete(callbackUrl: string): Promise<LoginResponse> {
    const pending = takePending();
    const result = parseCallback(callbackUrl, { pending, now: now() });
    if (!result.ok) throw new SsoError(result.problem, result.detail);
    return deps.api.ssoExchange({ code: result.code, codeVerifier: result.codeVerifier, redirectUri: pending!.redirectUri, nonce: pending!.nonce });
  }

  return {
    complete,
    async signIn(provider, uiLocale) {
      const { redirectUri } = await deps.host.ssoBegin();
      const pending: SsoPending = {
        state: randomToken(deps.crypto, 24),
        nonce: randomToken(deps.crypto, 24),
        codeVerifier: randomToken(deps.crypto, 32),
        redirectUri,
        issuer: provider.issuer,
        issRequired: provider.issParameterSupported,
        startedAt: now(),
      };
      const url = buildAuthorizationUrl({
        authorizationEndpoint: provider.authorizationEndpoint,
        clientId: provider.clientId,
        scopes: provider.scopes,
        pending,
        codeChallenge: await pkceChallenge(deps.crypto, pending.codeVerifier!),
        uiLocales: uiLocale,
      });
      deps.storage.setItem(ssoPendingKey, JSON.stringify(pending));
      const callbackUrl = await deps.host.ssoAuthorize(url);
      return callbackUrl === null ? null : complete(callbackUrl);
    },
  };
}
