import type { FastifyRequest } from 'fastify';
import { loadSessionScope } from '../auth/sessions';
import type { AccessClaims, TokenService } from '../auth/tokens';
import type { ServerConfig } from '../config';
import type { Db } from '../db/db';
import type { EmbeddedPbx } from '../pbx/embeddedPbx';
import { unauthorized } from './errors';

/** What route modules get: their dependencies, injected, so tests can build a server on any Db. */
export type AppContext = {
  config: ServerConfig;
  db: Db;
  tokens: TokenService;
  version: string;
  /** The embedded PBX once it is up (`npm start`, server/pbx); absent or null with an external PBX. */
  pbx?: { current: EmbeddedPbx | null };
  /** The caller of a valid Bearer token of a live session, with the user's current role and teams; throws 401 otherwise. */
  authenticate(request: FastifyRequest): Promise<Caller>;
};

/**
 * Who is calling: the token's subject and session, with `role` and `teamIds` as they are in the database
 * NOW. A token's role claim is a snapshot from sign-in or the last refresh; trusting it would let a
 * demoted lead keep lead routes until the token expires.
 */
export type Caller = AccessClaims & { teamIds: string[] };

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * A signature proves who minted the token, not that the session still stands or that the user still has
 * the role it names: logout and refresh-token reuse revoke sessions, admins disable users and move them
 * between teams. So every request also reads the session with its user's current role and teams (one
 * query, sessions.ts `loadSessionScope`), and that, not the token's claim, is what routes check.
 */
export function makeAuthenticate(db: Db, tokens: TokenService) {
  return async (request: FastifyRequest): Promise<Caller> => {
    const token = bearerToken(request);
    if (!token) throw unauthorized('Missing Bearer access token.');
    const claims = await tokens.verifyAccess(token);
    if (!claims) throw unauthorized('The access token is invalid or expired.');
    const scope = await loadSessionScope(db, claims.sid, claims.sub);
    if (!scope) throw unauthorized('The session has ended; sign in again.');
    return { sub: claims.sub, sid: claims.sid, role: scope.role, teamIds: scope.teamIds };
  };
}
