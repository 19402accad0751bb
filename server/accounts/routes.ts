import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TeamRoster, User } from '../../core/wire/auth';
import { getRoster, getTeam, getUser, isTeamMember } from './users';
import type { AppContext } from '../http/context';
import { forbidden, notFound, parseWith, unauthorized } from '../http/errors';

const TeamParams = z.object({ teamId: z.uuid('must be a team id') });

export function accountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/me', async (request): Promise<User> => {
    const claims = await ctx.authenticate(request);
    const user = await getUser(db, claims.sub);
    if (!user) throw unauthorized();
    return user;
  });

  /** Leads see their own teams' rosters, admins every team's; agents none. */
  app.get('/teams/:teamId/roster', async (request): Promise<TeamRoster> => {
    const claims = await ctx.authenticate(request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    if (claims.role === 'agent') throw forbidden('Only team leads and admins can see a team roster.');
    if (claims.role === 'lead' && !(await isTeamMember(db, teamId, claims.sub))) {
      throw forbidden('You can only see the roster of teams you lead.');
    }
    const team = await getTeam(db, teamId);
    if (!team) throw notFound('No such team.');
    return getRoster(db, team);
  });
}
