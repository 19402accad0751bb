import type { FastifyInstance } from 'fastify';
import type { LoginResponse } from '../../core/wire/auth';
import { type SsoConfig, SsoExchangeRequest } from '../../core/wire/sso';
import { getUser } from '../accounts/users';
import { createOidcClient, type OidcClient, type OidcClientDeps, OidcError } from './oidc';
import { createSession } from './sessions';
import { createAuthAudit } from './authAudit';
import { consumeOnce, findSsoUser, linkSsoCommand, recordSsoSignIn, syncTeamsFromClaim } from './ssoAccounts';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseWith } from '../http/errors';

/** Codes live minutes at most (RFC 6749 §4.1.2 recommends 10); a nonce as long as any ID token could. */
const codeMemorySeconds = 30 * 60;
const nonceMemorySeconds = 24 * 60 * 60;

const rejected = (message: string) => new HttpError(401, 'sso-rejected', message);

/**
 * GET /auth/sso/config tells the login screen what to offer; POST /auth/sso/exchange turns the app's
 * authorization code into our own session, exactly like a password login would.
 */
export function ssoRoutes(app: FastifyInstance, ctx: AppContext, deps: OidcClientDeps = {}): void {
  const { config, db, tokens } = ctx;
  const audit = createAuthAudit(db, { onError: (err) => app.log.warn(`audit: writing refused sign-ins failed: ${String(err)}`) });
  app.addHook('onClose', () => audit.flush());
  const oidc: OidcClient | null =
    config.oidcIssuer && config.oidcClientId
      ? createOidcClient(
          { issuer: config.oidcIssuer, clientId: config.oidcClientId, clientSecret: config.oidcClientSecret, scopes: config.oidcScopes.split(/\s+/).filter(Boolean) },
          deps,
        )
      : null;

  app.get('/auth/sso/config', async (request): Promise<SsoConfig> => {
    const passwordLoginEnabled = config.passwordLogin === 'on';
    if (!oidc) return { passwordLoginEnabled, sso: null, ssoProblem: null };
    try {
      const d = await oidc.discover();
      const { scopes } = oidc.settings;
      return {
        passwordLoginEnabled,
        sso: {
          issuer: d.issuer,
          clientId: oidc.settings.clientId,
          authorizationEndpoint: d.authorization_endpoint,
          scopes: scopes.includes('openid') ? [...scopes] : ['openid', ...scopes],
          issParameterSupported: d.authorization_response_iss_parameter_supported === true,
        },
        ssoProblem: null,
      };
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      request.log.warn(`sso: ${err.message}`);
      return { passwordLoginEnabled, sso: null, ssoProblem: 'The company sign-in service cannot be reached right now.' };
    }
  });

  app.post('/auth/sso/exchange', async (request): Promise<LoginResponse> => {
    if (!oidc) throw notFound('Single sign-on is not configured on this server.');
    const body = parseWith(SsoExchangeRequest, request.body);
    // Before the provider is asked: a code seen here once is never redeemed again, whatever the provider would say.
    if (!(await consumeOnce(db, 'code', body.code, codeMemorySeconds))) {
      request.log.warn('sso: an authorization code was presented a second time; refused');
      throw rejected('This sign-in code was already used. Start the company sign-in again.');
    }
    let claims;
    try {
      claims = await oidc.redeem(body);
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      request.log.warn(`sso: ${err.message}`);
      if (err.kind === 'unavailable') throw new HttpError(503, 'unavailable', 'The company sign-in service cannot be reached right now; try again in a moment.');
      throw rejected(`The company sign-in was refused: ${err.message}.`);
    }
    if (!(await consumeOnce(db, 'nonce', `${claims.iss}|${body.nonce}`, nonceMemorySeconds))) throw rejected('This sign-in was already completed once; start again.');
    const match = await findSsoUser(db, claims, config.oidcUsernameClaim);
    if (match.userId === null) {
      if (match.privileged) {
        audit.record({ event: 'sso-refused', username: claims.sub, address: request.ip, detail: `${claims.iss}: ${match.looked}` });
        request.log.warn(`audit: sso-refused for ${claims.iss} subject ${claims.sub}: ${match.looked}; if this is that person, link them: ${linkSsoCommand}`);
        throw new HttpError(
          403,
          'sso-unknown-user',
          `Team lead and admin accounts are linked to a company account only by an administrator. Ask IT to link yours${config.passwordLogin === 'on' ? '; until then sign in with your password' : ''}.`,
        );
      }
      request.log.info(`sso: no agent for ${claims.iss} subject ${claims.sub}: ${match.looked}`);
      throw new HttpError(403, 'sso-unknown-user', 'Your company account is not linked to a Switchboard agent. Ask IT or your team lead to add you.');
    }
    if (match.disabled) throw new HttpError(403, 'forbidden', 'This account is disabled; ask your admin.');
    await recordSsoSignIn(db, claims, match.userId);
    if (config.oidcTeamsClaim) {
      const teams = await syncTeamsFromClaim(db, claims, config.oidcTeamsClaim, match.userId);
      if (teams.unknown.length) request.log.warn(`sso: ${claims.sub} names unknown teams ${JSON.stringify(teams.unknown)}; ignored`);
    }
    const user = await getUser(db, match.userId);
    if (!user) throw rejected('The account could not be read; start again.');
    const { sessionId, refreshToken } = await createSession(db, user.id, config.refreshTtl);
    const accessToken = await tokens.signAccess({ sub: user.id, role: user.role, sid: sessionId });
    request.log.info(`login: ${user.username} via sso (${match.linked ? 'linked identity' : `first sign-in, linked by ${config.oidcUsernameClaim}`}) session ${sessionId}`);
    return { accessToken, expiresIn: tokens.accessTtl, refreshToken, user };
  });
}
