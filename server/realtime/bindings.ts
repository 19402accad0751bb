import { decodeJwt } from 'jose';
import { realtimeCloseCodes as codes, realtimeCloseReasons as reasons } from '../../core/wire/realtime';
import { loadSessionScope, sessionScopes } from '../auth/sessions';
import type { TokenService } from '../auth/tokens';
import type { Db } from '../db/db';
import type { Binding, BindingCheck, Unbound } from './hub';

/**
 * How sockets are bound to sessions, and how the hub re-checks them: an agent's socket to the session of
 * its access token and the user's scope read with it (the same query as every HTTP request,
 * sessions.ts `sessionScopes`); a customer's socket to its widget session row.
 */

/** The binding of an agent socket from the access token in its first message, or null. */
export async function bindAgent(db: Db, tokens: TokenService, token: string): Promise<Extract<Binding, { kind: 'agent' }> | null> {
  const claims = await tokens.verifyAccess(token);
  if (!claims) return null;
  const scope = await loadSessionScope(db, claims.sid, claims.sub);
  if (!scope) return null;
  // verifyAccess has checked the signature and that `exp` is in the future; only its value is read here.
  const { exp } = decodeJwt(token);
  if (typeof exp !== 'number') return null;
  return { kind: 'agent', sessionId: claims.sid, actor: { userId: claims.sub, role: scope.role, teamIds: scope.teamIds }, tokenExpiresAt: exp * 1000 };
}

const sameTeams = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** One query for every agent binding and one for every customer binding, whatever the number of sockets. */
export function databaseBindingCheck(db: Db, now: () => number): BindingCheck {
  return async (bindings) => {
    const out = new Map<Binding, Unbound>();
    const agents = bindings.filter((b): b is Extract<Binding, { kind: 'agent' }> => b.kind === 'agent');
    const customers = bindings.filter((b): b is Extract<Binding, { kind: 'customer' }> => b.kind === 'customer');
    if (agents.length > 0) {
      const scopes = await sessionScopes(db, agents.map((b) => b.sessionId));
      for (const b of agents) {
        const scope = scopes.get(b.sessionId);
        if (!scope || scope.userId !== b.actor.userId) out.set(b, { code: codes.unauthorized, reason: reasons.sessionEnded });
        else if (scope.role !== b.actor.role || !sameTeams(scope.teamIds, b.actor.teamIds)) out.set(b, { code: codes.scopeChanged, reason: reasons.scopeChanged });
      }
    }
    if (customers.length > 0) {
      const { rows } = await db.query<{ token_hash: string }>('select token_hash from widget_sessions where token_hash = any($1::text[]) and expires_at > $2', [
        [...new Set(customers.map((b) => b.tokenHash))],
        new Date(now()),
      ]);
      const live = new Set(rows.map((r) => r.token_hash));
      for (const b of customers) if (!live.has(b.tokenHash)) out.set(b, { code: codes.unauthorized, reason: reasons.sessionEnded });
    }
    return out;
  };
}
