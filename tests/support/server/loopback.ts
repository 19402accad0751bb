import type { FastifyInstance } from 'fastify';

/**
 * Listens on a free loopback port and returns the `ws://` base of it: socket tests need a real listening
 * server, because `app.inject` cannot carry a WebSocket upgrade.
 */
export async function listenForSockets(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
