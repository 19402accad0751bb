import type { FastifyInstance } from 'fastify';
import type { Health } from '../../core/wire/auth';
import type { AppContext } from '../http/context';
import { HttpError } from '../http/errors';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/health', async (request): Promise<Health> => {
    try {
      await ctx.db.query('select 1');
    } catch (err) {
      request.log.error({ err }, 'health: database unreachable');
      throw new HttpError(503, 'unavailable', 'The database is unreachable.');
    }
    return { status: 'ok', db: ctx.db.kind, version: ctx.version };
  });
}
