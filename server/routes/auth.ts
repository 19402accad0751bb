import type { FastifyInstance } from 'fastify';
import { LoginRequest, type LoginResponse, RefreshRequest, type TokenPair } from '../../core/wire/auth';
import { getUser, findCredentials } from '../accounts/users';
import { decoyHash, verifyPassword } from '../auth/password';
import { createSession, revokeSession, rotateRefreshToken } from '../auth/sessions';
import type { AppContext } from '../http/context';
import { HttpError, parseWith, unauthorized } from '../http/errors';

const refreshFailures = {
  unknown: 'The refresh token is not valid; sign in again.',
  reused: 'The refresh token was already used; the session has been ended for safety. Sign in again.',
  expired: 'The refresh token has expired; sign in again.',
  revoked: 'The session has ended; sign in again.',
} as const;

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db, tokens, config, loginLimiter } = ctx;

  app.post('/auth/login', async (request): Promise<LoginResponse> => {
    // Enforced here, not only hidden in the app: an older or modified client must not get around it.
    if (config.passwordLogin === 'off') {
      throw new HttpError(403, 'password-login-disabled', 'Password sign-in is turned off here; use "Sign in with your company account".');
    }
    const { username, password } = parseWith(LoginRequest, request.body);
    const limitKey = `${username.toLowerCase()}|${request.ip}`;
    const wait = loginLimiter.retryAfter(limitKey);
    if (wait > 0) {
      throw new HttpError(429, 'too-many-requests', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min.`, {
        'retry-after': String(wait),
      });
    }
    const credentials = await findCredentials(db, username);
    const valid = await verifyPassword(password, credentials?.passwordHash ?? (await decoyHash()));
    if (!credentials || !valid) {
      loginLimiter.fail(limitKey);
      request.log.info(`login: failed for ${JSON.stringify(username.slice(0, 100))}`);
      throw unauthorized('Wrong username or password.');
    }
    if (credentials.disabled) throw new HttpError(403, 'forbidden', 'This account is disabled; ask your admin.');
    loginLimiter.succeed(limitKey);
    const { sessionId, refreshToken } = await createSession(db, credentials.id, config.refreshTtl);
    const user = await getUser(db, credentials.id);
    if (!user) throw unauthorized();
    const accessToken = await tokens.signAccess({ sub: user.id, role: user.role, sid: sessionId });
    request.log.info(`login: ${user.username} session ${sessionId}`);
    return { accessToken, expiresIn: tokens.accessTtl, refreshToken, user };
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
