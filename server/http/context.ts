import type { FastifyRequest } from 'fastify';
import type { LoginLimiter } from '../auth/loginLimiter';
import { isSessionLive } from '../auth/sessions';
import type { AccessClaims, TokenService } from '../auth/tokens';
import type { ServerConfig } from '../config';
import type { Db } from '../db/db';
import { unauthorized } from './errors';

/** What route modules get: their dependencies, injected, so tests can build a server on any Db. */
export type AppContext = {
  config: ServerConfig;
  db: Db;
  tokens: TokenService;
  loginLimiter: LoginLimiter;
  version: string;
  /** The caller's claims from a valid Bearer token of a live session; throws 401 otherwise. */
  authenticate(request: FastifyRequest): Promise<AccessClaims>;
};

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * A signature proves who minted the token, not that the session still stands: logout and refresh-token
 * reuse revoke sessions, so every request also checks the session row (one indexed lookup).
 */
export function makeAuthenticate(db: Db, tokens: TokenService) {
  return async (request: FastifyRequest): Promise<AccessClaims> => {
    const token = bearerToken(request);
    if (!token) throw unauthorized('Missing Bearer access token.');
    const claims = await tokens.verifyAccess(token);
    if (!claims) throw unauthorized('The access token is invalid or expired.');
    if (!(await isSessionLive(db, claims.sid, claims.sub))) throw unauthorized('The session has ended; sign in again.');
    return claims;
  };
}
