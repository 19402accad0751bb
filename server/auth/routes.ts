import type { FastifyInstance } from 'fastify';
import { LoginRequest, type LoginResponse, RefreshRequest, type TokenPair } from '../../core/wire/auth';
import { getUser, findCredentials } from '../accounts/users';
import { createAuthAudit, type AuthAuditEvent } from './authAudit';
import { createLoginThrottle } from './loginLimiter';
import { decoyHash, PasswordHashingBusy, verifyPassword } from './password';
import { createSession, revokeSession, rotateRefreshToken } from './sessions';
import type { AppContext } from '../http/context';
import { HttpError, parseWith, unauthorized } from '../http/errors';

const refreshFailures = {
  unknown: 'The refresh token is not valid; sign in again.',
  reused: 'The refresh token was already used; the session has been ended for safety. Sign in again.',
  expired: 'The refresh token has expired; sign in again.',
  revoked: 'The session has ended; sign in again.',
} as const;

const waitText = (seconds: number) => (seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db, tokens, config } = ctx;
  // One throttle per server, per address and per account: see createLoginThrottle for the design.
  const throttle = createLoginThrottle();
  const audit = createAuthAudit(db, { onError: (err) => app.log.warn(`audit: writing refused sign-ins failed: ${String(err)}`) });
  app.addHook('onClose', () => audit.flush());
  let toldUntrustedForward = false;

  app.post('/auth/login', async (request): Promise<LoginResponse> => {
    // Enforced here, not only hidden in the app: an older or modified client must not get around it.
    if (config.passwordLogin === 'off') {
      throw new HttpError(403, 'password-login-disabled', 'Password sign-in is turned off here; use "Sign in with your company account".');
    }
    const { username, password } = parseWith(LoginRequest, request.body);
    // request.ip is the forwarded client only when the peer is a configured proxy (trustProxy in app.ts).
    const address = request.ip;
    if (!toldUntrustedForward && request.headers['x-forwarded-for'] !== undefined && address === request.socket.remoteAddress) {
      toldUntrustedForward = true;
      request.log.warn(`login: X-Forwarded-For from ${address} ignored; if that is your TLS proxy, list it in SWITCHBOARD_TRUSTED_PROXIES`);
    }
    const refused = (event: AuthAuditEvent, detail: string | null = null) => {
      audit.record({ event, username, address, detail });
      request.log.info(`audit: ${event} for ${JSON.stringify(username.slice(0, 100))} from ${address}${detail ? `: ${detail}` : ''}`);
    };

    const attempt = throttle.begin({ account: username.toLowerCase(), address });
    if (!attempt.allowed) {
      refused('login-throttled', `${attempt.limit} limit, retry after ${attempt.retryAfter} s`);
      const who = attempt.limit === 'address' ? 'from this address' : 'for this account from this address';
      throw new HttpError(429, 'too-many-requests', `Too many failed sign-ins ${who}; try again in ${waitText(attempt.retryAfter)}.`, {
        'retry-after': String(attempt.retryAfter),
      });
    }
    try {
      const credentials = await findCredentials(db, username);
      let valid: boolean;
      try {
        valid = await verifyPassword(password, credentials?.passwordHash ?? (await decoyHash()));
      } catch (err) {
        if (!(err instanceof PasswordHashingBusy)) throw err;
        refused('login-busy');
        throw new HttpError(503, 'unavailable', 'The server is busy checking other sign-ins; try again in a moment.', { 'retry-after': '1' });
      }
      if (!credentials || !valid) {
        attempt.failed();
        refused('login-failed');
        throw unauthorized('Wrong username or password.');
      }
      if (credentials.disabled) {
        refused('login-disabled');
        throw new HttpError(403, 'forbidden', 'This account is disabled; ask your admin.');
      }
      attempt.succeeded();
      const { sessionId, refreshToken } = await createSession(db, credentials.id, config.refreshTtl);
      const user = await getUser(db, credentials.id);
      if (!user) throw unauthorized();
      const accessToken = await tokens.signAccess({ sub: user.id, role: user.role, sid: sessionId });
      request.log.info(`login: ${user.username} session ${sessionId}`);
      return { accessToken, expiresIn: tokens.accessTtl, refreshToken, user };
    } finally {
      attempt.release();
    }
  });

  app.post('/auth/refresh', async (request): Promise<TokenPair> => {
    const { refreshToken } = parseWith(RefreshRequest, request.body);
    const rotated = await rotateRefreshToken(db, refreshToken, config.refreshTtl);
    if (!rotated.ok) {
      if (rotated.reason === 'reused') request.log.warn('refresh: a used refresh token was presented again; session revoked');
      throw unauthorized(refreshFailures[rotated.reason]);
    }
    const accessToken = await tokens.signAccess({ sub: rotated.userId, role: rotated.role, sid: rotated.sessionId });
    return { accessToken, expiresIn: tokens.accessTtl, refreshToken: rotated.refreshToken };
  });

  app.post('/auth/logout', async (request, reply) => {
    const claims = await ctx.authenticate(request);
    await revokeSession(db, claims.sid, 'logout');
    request.log.info(`logout: session ${claims.sid}`);
    return reply.status(204).send();
  });
}
