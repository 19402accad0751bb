import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../core/tickets/scope';
import type { AppContext } from './context';

/** The caller's current scope: `authenticate` already read the user's role and teams with the session. */
export async function actorOf(ctx: AppContext, request: FastifyRequest): Promise<Actor> {
  const caller = await ctx.authenticate(request);
  return { userId: caller.sub, role: caller.role, teamIds: caller.teamIds };
}
