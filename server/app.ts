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
import { opsRoutes } from './health/ready';
import { loadOrCreateTokenSecret } from './secret';
import { seedDemo, demoPassword } from './seed/seed';
import { demoRefusal, demoWarning, findDemoLeftovers, isLoopbackHost } from './seed/demoGuard';
import { type SyncOptions, defaultSyncOptions, syncRoutes } from './sync/routes';
import { type ChatOptions, type ChatRuntime, chatOptionsOf, chatRoutes, defaultChatOptions, touchedOf } from './chat/routes';
import type { EventRow } from './chat/store';
import { type ServerRealtimeOptions, createServerRealtime } from './realtime/serverHub';
import { ticketRoutes } from './tickets/routes';
import { coachingRoutes } from './coaching/routes';
import { type KpiOptions, kpiRoutes } from './kpi/routes';
import { type QueueOptions, type QueueRuntime, queueRoutes } from './queues/routes';
import { loadQueuePbxConnector, saveQueuePbxConnector } from './queues/connector';
import { reviewRoutes } from './review/routes';
import { surveyRoutes } from './review/survey';
import { type SlaOptions, type SlaRuntime, slaRoutes } from './sla/routes';
import { type MoodOptions, type MoodRuntime, moodRoutes } from './mood/routes';
import { type BoardRuntime, boardRoutes } from './board/routes';
import { liveLookup } from './board/live';
import { securityHeaders } from './web/securityHeaders';
import { widgetRoutes } from './widget/routes';
import { type EmbeddedPbx, loadPbxConfig, startEmbeddedPbx } from './pbx/embeddedPbx';
import { demoLineRoutes } from './pbx/routes';
import { adminRoutes } from './admin/routes';
import { sipProvisioner } from './pbx/provisioner';
import { scimRoutes } from './scim/routes';
import { type BrokerBus, createRedisBus, redact } from './realtime/redisBus';

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
  /** KPI tuning for tests: the background rollup job (off with `materialiseEveryMs: 0`). */
  kpi?: Partial<KpiOptions>;
  /** The wallboard runtime, for tests (snapshots, the wrap-up limit sweep by hand). */
  onBoard?: (board: BoardRuntime) => void;
  /** Voice queue tuning for tests: `tickMs: 0` stops the timer; `onRuntime` hands `tick` to the test. */
  queues?: Partial<QueueOptions> & { onRuntime?: (queues: QueueRuntime) => void };
  /** Filled in by startServer once the embedded PBX is up. */
  pbx?: { current: EmbeddedPbx | null };
};

/**
 * The HTTP server on a ready database (migrated). Tests call this with an in-memory PGlite and drive it
 * with `app.inject`; it does not own the Db, so closing the app leaves the Db open.
 */
export function buildServer(config: ServerConfig, { db, sync, chat, realtime: realtimeOptions, oidc, sla, kpi, mood, onRoute, onBoard, pbx, queues }: ServerDeps): FastifyInstance {
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
  const sip = sipProvisioner(pbx, (line) => app.log.warn(line));
  adminRoutes(app, ctx, sip);
  scimRoutes(app, ctx, sip);
  // One realtime hub for every socket (server/realtime/hub.ts). It beats at the shortest heartbeat any
  // socket kind asks for: a session that ends is noticed within the tightest bound promised.
  const realtime = createServerRealtime(db, {
    ...realtimeOptions,
    heartbeatMs: realtimeOptions?.heartbeatMs ?? Math.min(sync?.heartbeatMs ?? defaultSyncOptions.heartbeatMs, chat?.heartbeatMs ?? defaultChatOptions.heartbeatMs),
    now: sync?.now ?? Date.now,
    log: (line) => app.log.warn(line),
  });
  app.addHook('onClose', async () => realtime.close());
  const bus = realtimeOptions?.bus;
  opsRoutes(app, ctx, { brokerReady: bus?.connected ? () => bus.connected!() : null, sockets: () => realtime.size, metricsToken: config.metricsToken });
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
  // Coaching is built after chat (it takes chats over); its Team live view hears chat events through this.
  let teamLiveChatEvents: (rows: readonly EventRow[]) => void = () => {};
  const chatRuntime = chatRoutes(app, ctx, realtime, {
    ...chatOptions,
    board: {
      onEvents: (rows) => {
        board.onChatEvents(rows);
        teamLiveChatEvents(rows);
      },
      onPresenceChanged: board.onPresenceChanged,
    },
  });
  chat?.onRuntime?.(chatRuntime);
  // In a plugin: @fastify/websocket (registered by syncRoutes) must have loaded before the widget's socket route is added.
  void app.register(async (scoped) => widgetRoutes(scoped, ctx, chatRuntime, { now: chatOptions.now, authDeadlineMs: chatOptions.authDeadlineMs }, realtime));
  const coaching = coachingRoutes(app, ctx, {
    ...(sync?.now ? { now: sync.now } : {}),
    chat: chatRuntime,
    hideListen: config.coachListen === 'hidden',
    onLiveChanged: board.onLiveChanged,
    realtime,
    authDeadlineMs: chatOptions.authDeadlineMs,
  });
  teamLiveChatEvents = coaching.onChatEvents;
  board.useLive(liveLookup(coaching.board, chatOptions.now));
  kpiRoutes(app, ctx, { ...(sync?.now ? { now: sync.now } : {}), ...kpi });
  reviewRoutes(app, ctx, sync?.now ? { now: sync.now } : {});
  surveyRoutes(app, ctx, sync?.now ? { now: sync.now } : {});
  const { onRuntime: onSlaRuntime, ...slaOptions } = sla ?? {};
  const slaRuntime = slaRoutes(app, ctx, realtime, {
    ...(sync?.now ? { now: sync.now } : {}),
    authDeadlineMs: chatOptions.authDeadlineMs,
    onTicketsRetimed: (teamId, ticketIds) =>
      void syncRuntime.pokeTouched(touchedOf(ticketIds.map((ticketId) => ({ ticketId, teamIds: [teamId], userIds: [] })))).catch((err: unknown) => app.log.warn(`sla poke: ${String(err)}`)),
    ...slaOptions,
  });
  onSlaRuntime?.(slaRuntime);
  const { onRuntime: onQueueRuntime, ...queueOptions } = queues ?? {};
  const queueRuntime = queueRoutes(app, ctx, {
    now: chatOptions.now,
    tickMs: chat?.sweepMs === 0 ? 0 : 500,
    ...queueOptions,
    onTeamsChanged: board.onPresenceChanged,
  });
  onQueueRuntime?.(queueRuntime);
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
  let bus: BrokerBus | null = null;
  try {
    const report = await migrate(db);
    const seed = config.seed ?? (db.kind === 'pglite' && report.fresh ? 'demo' : 'none');
    const pbxConfig = loadPbxConfig();
    const queuePbx = loadQueuePbxConnector();
    if (queuePbx) await saveQueuePbxConnector(db, queuePbx);
    const pbx: { current: EmbeddedPbx | null } = { current: null };
    // Several instances share fan-out through the broker; without one, this process is the whole center.
    const early: string[] = [];
    let warnBus: (line: string) => void = (line) => early.push(line);
    if (config.brokerUrl) {
      bus = createRedisBus(config.brokerUrl, (topic, err) => warnBus(`realtime bus ${topic}: ${err instanceof Error ? err.message : String(err)}`));
      await bus.ready();
    }
    const app = buildServer({ ...config, tokenSecret }, { db, pbx, ...(bus ? { realtime: { bus } } : {}) });
    if (bus) {
      const broker = bus;
      // Collected until the logger exists; from here on each bus error is one warning line.
      for (const line of early) app.log.warn(line);
      warnBus = (line) => app.log.warn(line);
      app.addHook('onClose', async () => broker.close());
      app.log.info(`realtime bus: redis at ${redact(config.brokerUrl!)}`);
    }
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
    await bus?.close();
    await db.close();
    throw err;
  }
}
