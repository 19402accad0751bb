import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context';
import { HttpError, notFound } from '../http/errors';

/**
 * `POST /demo/customer-call`: the embedded PBX's demo customer line calls the signed-in user's own
 * extension (the "Call me as a customer" button in demo mode). Only the caller's own phone can be rung,
 * so the route cannot be used to ring someone else; one call at a time, at most one every 3 seconds.
 */
export function demoLineRoutes(app: FastifyInstance, ctx: AppContext): void {
  let lastCallAt = 0;
  app.post('/demo/customer-call', async (request, reply) => {
    const caller = await ctx.authenticate(request);
    const pbx = ctx.pbx?.current;
    if (!pbx) throw notFound('The demo customer line runs only with the embedded phone server (npm start).');
    const { rows } = await ctx.db.query<{ extension: string | null }>('select extension from users where id = $1', [caller.sub]);
    const extension = rows[0]?.extension;
    if (!extension) throw notFound('You have no extension, so the demo customer cannot call you.');
    const now = Date.now();
    if (now - lastCallAt < 3000) throw new HttpError(429, 'too-many-requests', 'The demo customer is already dialling; wait a few seconds.');
    lastCallAt = now;
    try {
      await pbx.demoLine.dial(extension);
    } catch (err) {
      request.log.warn(`[demo-line] dial ${extension} failed: ${String(err)}`);
      throw new HttpError(503, 'unavailable', 'The demo customer line is not answering.');
    }
    return reply.code(202).send({ calling: extension });
  });
}
