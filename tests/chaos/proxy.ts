import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy between one client and the server: the client's network. `cut()` drops every open
 * connection (requests in flight fail half-way, the poke socket dies) and refuses new ones until
 * `restore()`, as Wi-Fi that goes away does. It connects upstream per connection, so it outlives
 * server restarts (a connection to a dead server is refused and dropped).
 */
export type Proxy = { port: number; up: boolean; cut(): void; restore(): void; close(): Promise<void> };

export async function startProxy(upstreamPort: number): Promise<Proxy> {
  const open = new Set<Socket>();
  let up = true;
  const server = createServer((client) => {
    if (!up) return client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    get up() {
      return up;
    },
    cut() {
      up = false;
      for (const s of open) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
