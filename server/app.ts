import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type RouteOptions } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createTokenService } from './auth/tokens';
import { type ServerConfig, ConfigError, memoryDataDir } from './config';
import { clientPolicyRoutes } from './policy/routes';
import type { Db } from './db/db';
import { migrate } from './db/migrate';
import { openDb } from './db/open';
import { type AppContext, makeAuthenticate } from './http/context';
import { notFound, sendError } from './http/errors';
import { useJsonBodyParser } from './http/jsonBody';
import { accountRoutes } from './accounts/routes';
import { sipAccountRoutes } from './accounts/sipAccount';
import { authRoutes } from './auth/routes';
import { ssoRoutes } from './auth/ssoRoutes';
import type { OidcClientDeps } from './auth/oidc';
import { healthRoutes } from './health/routes';
import { loadOrCreateTokenSecret } from './secret';
import { seedDemo, demoPassword } from './seed/seed';
import { demoRefusal, demoWarning, findDemoLeftovers, isLoopbackHost } from './seed/demoGuard';
import { type SyncOptions, defaultSyncOptions, syncRoutes } from './sync/routes';
import { type ChatOptions, type ChatRuntime, chatOptionsOf, chatRoutes, defaultChatOptions, touchedOf } from './chat/routes';
import { type ServerRealtimeOptions, createServerRealtime } from './realtime/serverHub';
import { ticketRoutes } from './tickets/routes';
import { coachingRoutes } from './coaching/routes';
import { kpiRoutes } from './kpi/routes';
import { type SlaOptions, type SlaRuntime, slaRoutes } from './sla/routes';
import { type MoodOptions, type MoodRuntime, moodRoutes } from './mood/routes';
import { type BoardRuntime, boardRoutes } from './board/routes';
import { liveLookup } from './board/live';
import { securityHeaders } from './web/securityHeaders';
import { widgetRoutes } from './widget/routes';
import { type EmbeddedPbx, loadPbxConfig, startEmbeddedPbx } from './pbx/embeddedPbx';
import { demoLineRoutes } from './pbx/routes';

const packageJson = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')));

/** `sync` overrides sync tuning (page size, clock, heartbeat) for tests; `onRoute` sees every route as it is registered (the authorization matrix). */
export type ServerDeps = {
  db: Db;
  sync?: Partial<SyncOptions>;
  chat?: Partial<ChatOptions> & { onRuntime?: (chat: ChatRuntime) => void };
  /** Socket tuning for tests: send-buffer limit, drain timeout, heartbeat (default: the sync and chat heartbeats' shorter). */
  realtime?: Partial<ServerRealtimeOptions>;
  oidc?: OidcClientDeps;
  /** SLA scanner tuning for tests (interval, off); `onRuntime` hands the runtime (scanOnce) to the test. */
  sla?: Partial<SlaOptions> & { onRuntime?: (sla: SlaRuntime) => void };
  mood?: Partial<MoodOptions> & { onRuntime?: (mood: MoodRuntime) => void };
  onRoute?: (route: RouteOptions) => void;
  /** The wallboard runtime, for tests (snapshots, the wrap-up limit sweep by hand). */
  onBoard?: (board: BoardRuntime) => void;
  /** Filled in by startServer once the embedded PBX is up. */
  pbx?: { current: EmbeddedPbx | null };
};

/**
 * The HTTP server on a ready database (migrated). Tests call this with an in-memory PGlite and drive it
 * with `app.inject`; it does not own the Db, so closing the app leaves the Db open.
 */
export function buildServer(config: ServerConfig, { db, sync, chat, realtime: realtimeOptions, oidc, sla, mood, onRoute, onBoard, pbx }: ServerDeps): FastifyInstance {
  if (!config.tokenSecret) throw new ConfigError('buildServer needs config.tokenSecret (startServer creates one)');
  const tokens = createTokenService(config.tokenSecret, config.accessTtl);
  const ctx: AppContext = {
    config,
    db,
    tokens,
    version: packageJson.version,
    authenticate: makeAuthenticate(db, tokens),
    ...(pbx ? { pbx } : {}),
  };

  const app = Fastify({
    bodyLimit: config.bodyLimit,
    // Tokens travel in Authorization and in bodies; the default serializers log neither, and redact is a second lock.
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // One line per request drowns the log an IT admin reads; requests are logged at debug and below.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.logLevel) }),
  });

  if (onRoute) app.addHook('onRoute', onRoute);
  const headers = securityHeaders();
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  useJsonBodyParser(app);

  void app.register(cors, {
    // The browser host is same-origin and needs no CORS; only the Electron app:// origin (and any configured one) is let in.
    origin: (origin, callback) => callback(null, origin !== undefined && config.allowedOrigins.includes(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });

  healthRoutes(app, ctx);
  clientPolicyRoutes(app, { file: config.clientPolicy });
  authRoutes(app, ctx);
  ssoRoutes(app, ctx, oidc);
  accountRoutes(app, ctx);
  sipAccountRoutes(app, ctx);
  demoLineRoutes(app, ctx);
  // One realtime hub for every socket (server/realtime/hub.ts). It beats at the shortest heartbeat any
  // socket kind asks for: a session that ends is noticed within the tightest bound promised.
  const realtime = createServerRealtime(db, {
    ...realtimeOptions,
    heartbeatMs: realtimeOptions?.heartbeatMs ?? Math.min(sync?.heartbeatMs ?? defaultSyncOptions.heartbeatMs, chat?.heartbeatMs ?? defaultChatOptions.heartbeatMs),
    now: sync?.now ?? Date.now,
    log: (line) => app.log.warn(line),
  });
  app.addHook('onClose', async () => realtime.close());
  const syncRuntime = syncRoutes(app, ctx, realtime, sync);
  ticketRoutes(app, ctx, sync?.now);
  const chatOptions = chatOptionsOf({
    ...(sync?.now ? { now: sync.now } : {}),
    ...chat,
    // Chat writes tickets (assignee, transcript, survey) outside a push: sync clients hear it as a poke.
    onTicketsChanged: (touches) => void syncRuntime.pokeTouched(touchedOf(touches)).catch((err: unknown) => app.log.warn(`chat poke: ${String(err)}`)),
  });
  const board = boardRoutes(app, ctx, realtime, {
    now: chatOptions.now,
    authDeadlineMs: chatOptions.authDeadlineMs,
    wrapUpSweepMs: chat?.sweepMs === 0 ? 0 : 1000,
  });
  onBoard?.(board);
  const chatRuntime = chatRoutes(app, ctx, realtime, { ...chatOptions, board: { onEvents: board.onChatEvents, onPresenceChanged: board.onPresenceChanged } });
  chat?.onRuntime?.(chatRuntime);
  // In a plugin: @fastify/websocket (registered by syncRoutes) must have loaded before the widget's socket route is added.
  void app.register(async (scoped) => widgetRoutes(scoped, ctx, chatRuntime, { now: chatOptions.now, authDeadlineMs: chatOptions.authDeadlineMs }, realtime));
  const coaching = coachingRoutes(app, ctx, {
    ...(sync?.now ? { now: sync.now } : {}),
    chat: chatRuntime,
    hideListen: config.coachListen === 'hidden',
    onLiveChanged: board.onLiveChanged,
  });
  board.useLive(liveLookup(coaching.board, chatOptions.now));
  kpiRoutes(app, ctx, sync?.now ? { now: sync.now } : {});
  const { onRuntime: onSlaRuntime, ...slaOptions } = sla ?? {};
  const slaRuntime = slaRoutes(app, ctx, realtime, { ...(sync?.now ? { now: sync.now } : {}), authDeadlineMs: chatOptions.authDeadlineMs, ...slaOptions });
  onSlaRuntime?.(slaRuntime);
  const { onRuntime: onMoodRuntime, ...moodOptions } = mood ?? {};
  const moodRuntime = moodRoutes(app, ctx, realtime, { ...(sync?.now ? { now: sync.now } : {}), authDeadlineMs: chatOptions.authDeadlineMs, ...moodOptions });
  onMoodRuntime?.(moodRuntime);

  const webRoot = config.webRoot && existsSync(join(config.webRoot, 'index.html')) ? config.webRoot : null;
  if (webRoot) {
    void app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    // Web mode: a page reload on a client-side route gets the app, not a 404 JSON.
    if (webRoot && request.method === 'GET' && request.headers.accept?.includes('text/html')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendError(notFound(`No route for ${request.method} ${request.url.split('?')[0]}`), request, reply);
  });
  return app;
}

/** `warnings`: what this start warned the operator about (also logged), for callers and tests. */
export type RunningServer = { app: FastifyInstance; db: Db; url: string; warnings: readonly string[]; close(): Promise<void> };

/**
 * Opens and migrates the database, seeds on the first embedded start, and listens. While the demo's
 * published credentials are in force it listens on loopback only (and says so at every start).
 */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const tokenSecret = config.tokenSecret ?? loadOrCreateTokenSecret(config.dataDir);
  const db = await openDb(config);
  try {
    const report = await migrate(db);
    const seed = config.seed ?? (db.kind === 'pglite' && report.fresh ? 'demo' : 'none');
    const pbxConfig = loadPbxConfig();
    const pbx: { current: EmbeddedPbx | null } = { current: null };
    const app = buildServer({ ...config, tokenSecret }, { db, pbx });
    if (report.applied.length) app.log.info(`migrations applied: ${report.applied.join(', ')}`);
    if (seed === 'demo') {
      const seeded = await seedDemo(db);
      if (seeded) {
        app.log.info(
          `demo data seeded in ${seeded.ms} ms (${seeded.tickets} tickets, ${seeded.quickReplies} quick replies); ` +
            `sign in as agent1..agent4, lead1, lead2 or admin with password "${demoPassword}"`,
        );
      } else {
        app.log.info('demo seed skipped: the database already has users');
      }
    }
    const warnings: string[] = [];
    const leftovers = await findDemoLeftovers(db);
    if (leftovers) {
      if (!isLoopbackHost(config.host)) throw new ConfigError(demoRefusal(config.host, leftovers));
      warnings.push(demoWarning(leftovers));
      app.log.warn(warnings.at(-1));
    }
    if (pbxConfig.mode === 'embedded') {
      // The phone on the embedded default (server/pbx/embeddedPbx.ts). A PBX that cannot start is not a
      // reason to refuse the rest of the app: one line says why, and the softphone shows the server as unreachable.
      try {
        const dir = pbxConfig.dir ?? join(config.dataDir === memoryDataDir ? tmpdir() : config.dataDir, `pbx-${process.pid}`);
        pbx.current = await startEmbeddedPbx({ config: pbxConfig, db, dir, log: (line) => app.log.info(line) });
        const embedded = pbx.current;
        // Accounts change (new agents, rotated SIP passwords): the subscriber table follows within seconds.
        const timer = setInterval(() => void embedded.provision().catch((err: unknown) => app.log.warn(`[pbx] provisioning failed: ${String(err)}`)), 5000);
        timer.unref();
        app.addHook('onClose', async () => {
          clearInterval(timer);
          await embedded.close();
        });
      } catch (err) {
        warnings.push(`embedded phone server not started: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        app.log.warn(warnings.at(-1));
      }
    }
    app.addHook('onClose', async () => {
      await db.close();
    });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const where = db.kind === 'pglite' ? `pglite at ${config.dataDir === memoryDataDir ? 'memory' : db.location}` : 'postgres';
    app.log.info(`Switchboard server listening on ${url} (db: ${where})`);
    return { app, db, url, warnings, close: () => app.close() };
  } catch (err) {
    await db.close();
    throw err;
  }
}
