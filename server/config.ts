import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Server configuration: environment variables over an optional JSON file (SWITCHBOARD_CONFIG), over
 * defaults. Every variable is documented in server/README.md. A bad value stops the start with a message
 * naming the variable, because a server that half-starts on a typo is worse than one that refuses.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The in-memory PGlite marker, used by tests and throwaway demos. */
export const memoryDataDir = 'memory://';

const seconds = z.coerce.number().int().positive();
const count = z.coerce.number().int().nonnegative();

/** An address or CIDR range as proxy-addr (Fastify's trustProxy) reads them, or one of its named ranges. */
const proxyAddress = z
  .string()
  .trim()
  .refine((entry) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
    const [ip = '', bits, extra] = entry.split('/');
    const family = isIP(ip);
    if (family === 0 || extra !== undefined) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  }, 'must be IP addresses or CIDR ranges (e.g. 10.0.0.5, 10.0.0.0/24, ::1), or loopback, linklocal, uniquelocal');

export const ServerConfig = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(7600),
    /** Real PostgreSQL when set; otherwise the embedded PGlite under dataDir. */
    databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').nullable().default(null),
    /** Redis pub/sub between several server instances (server/realtime/redisBus.ts); null: one process, in-process bus. */
    brokerUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').nullable().default(null),
    /** When set, GET /metrics answers only `Authorization: Bearer <this>` (server/health/ready.ts). */
    metricsToken: z.string().min(16, 'must be at least 16 characters').nullable().default(null),
    dataDir: z.string().min(1),
    /** undefined: demo on the first start of the embedded database, none otherwise. */
    seed: z.enum(['demo', 'none']).optional(),
    /** HS256 key for access tokens; when null a random one is generated once and kept in dataDir. */
    tokenSecret: z.string().min(32, 'must be at least 32 characters').nullable().default(null),
    accessTtl: seconds.default(15 * 60),
    refreshTtl: seconds.default(30 * 24 * 60 * 60),
    /** Folder of the built renderer served at / (web mode); null serves the API only. */
    // Resolved against the working directory, so `SWITCHBOARD_WEB_ROOT=dist/renderer` works as typed.
    webRoot: z.string().min(1).transform((p) => resolve(p)).nullable().default(null),
    /** Folder of the built chat widget script (`widget.js`, by `npm run build`); null builds it in memory from source on first use. */
    widgetRoot: z.string().min(1).transform((p) => resolve(p)).nullable().default(null),
    allowedOrigins: z.array(z.string().min(1)).default(['app://switchboard']),
    /**
     * The reverse proxies (TLS termination) whose X-Forwarded-For is believed. Empty: nobody's, and the
     * client address is the connection's. Sign-in throttling is per client address, so behind a proxy that
     * is not listed every agent shares the proxy's address.
     */
    trustedProxies: z.array(proxyAddress).default([]),
    bodyLimit: z.coerce.number().int().positive().default(1024 * 1024),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Whether agents are shown a lead's silent listening; 'hidden' only where local law and company rules allow. */
    coachListen: z.enum(['visible', 'hidden']).default('visible'),
    /** Managed policy served to web clients at GET /client/policy (the Linux policy.json format); null: none. */
    clientPolicy: z.string().min(1).transform((p) => resolve(p)).nullable().default(null),
    /** Single sign-on: the company's OpenID provider (its exact issuer URL); null turns SSO off. */
    oidcIssuer: z.url({ protocol: /^https?$/ }).nullable().default(null),
    oidcClientId: z.string().min(1).nullable().default(null),
    /** Only for a provider that insists on a confidential client; the desktop app is a public client (RFC 8252 §8.5). */
    oidcClientSecret: z.string().min(1).nullable().default(null),
    oidcScopes: z.string().min(1).default('openid profile email'),
    /** The ID-token claim whose value is a Switchboard username (first sign-in; later ones follow the stable `sub`). */
    oidcUsernameClaim: z.string().min(1).default('preferred_username'),
    /** Optional claim listing team names; when present at sign-in, the agent's teams follow it. */
    oidcTeamsClaim: z.string().min(1).nullable().default(null),
    /** 'off' refuses POST /auth/login: agents must use single sign-on. */
    passwordLogin: z.enum(['on', 'off']).default('on'),
    /** Widget quotas (server/widget/quotas.ts): what one chat session and one client address may do per window. */
    widgetQuotaWindow: seconds.default(10 * 60),
    widgetChatsPerAddress: count.default(20),
    widgetMessagesPerSession: count.default(40),
    widgetMessagesPerAddress: count.default(200),
    widgetFilesPerSession: count.default(5),
    widgetFilesPerAddress: count.default(20),
    widgetFileBytesPerSession: count.default(10 * 1024 * 1024),
    widgetFileBytesPerAddress: count.default(40 * 1024 * 1024),
  })
  .strict()
  .refine((c) => (c.oidcIssuer === null) === (c.oidcClientId === null), {
    message: 'SWITCHBOARD_OIDC_ISSUER and SWITCHBOARD_OIDC_CLIENT_ID are set together',
    path: ['oidcIssuer'],
  })
  .refine((c) => c.passwordLogin === 'on' || c.oidcIssuer !== null, {
    // Nobody could sign in at all: refuse to start rather than lock every agent out.
    message: 'password login can only be turned off when single sign-on is configured',
    path: ['passwordLogin'],
  });
export type ServerConfig = z.output<typeof ServerConfig>;
export type ServerConfigInput = z.input<typeof ServerConfig>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const envNames = {
  host: 'SWITCHBOARD_HOST',
  port: 'SWITCHBOARD_PORT',
  databaseUrl: 'DATABASE_URL',
  brokerUrl: 'SWITCHBOARD_BROKER_URL',
  metricsToken: 'SWITCHBOARD_METRICS_TOKEN',
  dataDir: 'SWITCHBOARD_DATA_DIR',
  seed: 'SWITCHBOARD_SEED',
  tokenSecret: 'SWITCHBOARD_TOKEN_SECRET',
  accessTtl: 'SWITCHBOARD_ACCESS_TTL',
  refreshTtl: 'SWITCHBOARD_REFRESH_TTL',
  webRoot: 'SWITCHBOARD_WEB_ROOT',
  widgetRoot: 'SWITCHBOARD_WIDGET_ROOT',
  allowedOrigins: 'SWITCHBOARD_ALLOWED_ORIGINS',
  trustedProxies: 'SWITCHBOARD_TRUSTED_PROXIES',
  bodyLimit: 'SWITCHBOARD_BODY_LIMIT',
  logLevel: 'SWITCHBOARD_LOG_LEVEL',
  coachListen: 'SWITCHBOARD_COACH_LISTEN',
  clientPolicy: 'SWITCHBOARD_CLIENT_POLICY',
  oidcIssuer: 'SWITCHBOARD_OIDC_ISSUER',
  oidcClientId: 'SWITCHBOARD_OIDC_CLIENT_ID',
  oidcClientSecret: 'SWITCHBOARD_OIDC_CLIENT_SECRET',
  oidcScopes: 'SWITCHBOARD_OIDC_SCOPES',
  oidcUsernameClaim: 'SWITCHBOARD_OIDC_USERNAME_CLAIM',
  oidcTeamsClaim: 'SWITCHBOARD_OIDC_TEAMS_CLAIM',
  passwordLogin: 'SWITCHBOARD_PASSWORD_LOGIN',
  widgetQuotaWindow: 'SWITCHBOARD_WIDGET_QUOTA_WINDOW',
  widgetChatsPerAddress: 'SWITCHBOARD_WIDGET_CHATS_PER_ADDRESS',
  widgetMessagesPerSession: 'SWITCHBOARD_WIDGET_MESSAGES_PER_SESSION',
  widgetMessagesPerAddress: 'SWITCHBOARD_WIDGET_MESSAGES_PER_ADDRESS',
  widgetFilesPerSession: 'SWITCHBOARD_WIDGET_FILES_PER_SESSION',
  widgetFilesPerAddress: 'SWITCHBOARD_WIDGET_FILES_PER_ADDRESS',
  widgetFileBytesPerSession: 'SWITCHBOARD_WIDGET_FILE_BYTES_PER_SESSION',
  widgetFileBytesPerAddress: 'SWITCHBOARD_WIDGET_FILE_BYTES_PER_ADDRESS',
} as const satisfies Record<keyof ServerConfig, string>;

/** The per-user data folder of each OS (XDG on Linux). */
export function defaultDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const name = 'switchboard-server';
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), name);
}

function fromEnv(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    out[key] = key === 'allowedOrigins' || key === 'trustedProxies' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  }
  return out;
}

function fromFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`SWITCHBOARD_CONFIG: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new ConfigError(`SWITCHBOARD_CONFIG: ${path} is not a JSON object`);
  }
}

function describe(error: z.ZodError, fileKeys: ReadonlySet<string>): string {
  return error.issues
    .map((issue) => {
      const key = String(issue.path[0] ?? '');
      const name = key in envNames ? envNames[key as keyof typeof envNames] : key;
      const source = fileKeys.has(key) ? `"${key}" in SWITCHBOARD_CONFIG` : name;
      return issue.code === 'unrecognized_keys' ? `config file: ${issue.message}` : `${source}: ${issue.message}`;
    })
    .join('; ');
}

/** Reads the configuration; throws ConfigError with a message that names the bad setting. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const file = env.SWITCHBOARD_CONFIG ? fromFile(env.SWITCHBOARD_CONFIG) : {};
  const defaultWebRoot = join(repoRoot, 'dist', 'renderer');
  const defaultWidgetRoot = join(repoRoot, 'dist', 'widget');
  const merged = {
    dataDir: defaultDataDir(env),
    webRoot: existsSync(join(defaultWebRoot, 'index.html')) ? defaultWebRoot : null,
    widgetRoot: existsSync(join(defaultWidgetRoot, 'widget.js')) ? defaultWidgetRoot : null,
    ...file,
    ...fromEnv(env),
  };
  const result = ServerConfig.safeParse(merged);
  if (!result.success) throw new ConfigError(`Invalid server configuration: ${describe(result.error, new Set(Object.keys(file)))}`);
  return result.data;
}

/** A complete config from partial input, for tests and embedding; defaults as documented. */
export function makeConfig(input: Partial<ServerConfigInput> = {}): ServerConfig {
  return ServerConfig.parse({ dataDir: memoryDataDir, ...input });
}
