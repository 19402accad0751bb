import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../http/context';
import { HttpError } from '../http/errors';
import { countSockets, httpDuration, httpRequests, registry } from './metrics';

export const Readiness = z.object({ status: z.literal('ready'), db: z.enum(['pglite', 'postgres']), broker: z.enum(['none', 'connected']) });
export type Readiness = z.infer<typeof Readiness>;

export type OpsDeps = {
  /** Null without a broker (one process); else whether it is connected now. */
  brokerReady: (() => boolean) | null;
  sockets: () => number;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (SWITCHBOARD_METRICS_TOKEN). */
  metricsToken: string | null;
};

/**
 * What a balancer and a monitoring system ask: `/health` (health/routes.ts: the process answers and its
 * database does) is the liveness check; `/ready` also needs the broker, so a balancer stops sending new
 * sockets to an instance that could not fan out to the others; `/metrics` is Prometheus' text format.
 */
export function opsRoutes(app: FastifyInstance, ctx: AppContext, deps: OpsDeps): void {
  const uncount = countSockets(deps.sockets);
  app.addHook('onClose', async () => uncount());
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/ready', async (request): Promise<Readiness> => {
    try {
      await ctx.db.query('select 1');
    } catch (err) {
      request.log.error({ err }, 'ready: database unreachable');
      throw new HttpError(503, 'unavailable', 'The database is unreachable.');
    }
    if (deps.brokerReady && !deps.brokerReady()) throw new HttpError(503, 'unavailable', 'The message broker is unreachable.');
    return { status: 'ready', db: ctx.db.kind, broker: deps.brokerReady ? 'connected' : 'none' };
  });

  app.get('/metrics', async (request, reply) => {
    if (deps.metricsToken !== null && request.headers.authorization !== `Bearer ${deps.metricsToken}`) {
      throw new HttpError(401, 'unauthorized', 'The metrics token is missing or wrong.');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
