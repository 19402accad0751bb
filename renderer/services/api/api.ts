import { z } from 'zod';
import { ApiError as ApiErrorBody, Health, LoginResponse, TeamRoster, TokenPair, User } from '../../../core/wire/auth';
import { SipAccount } from '../../../core/wire/sip';
import { SsoConfig, type SsoExchangeRequest } from '../../../core/wire/sso';

/**
 * A small typed client for the central server. The access token lives in memory only; the rotating
 * refresh token is handed to `tokens` (the host's secure storage) every time the server issues one,
 * because reusing an old one revokes the whole session.
 */
export type ApiErrorCode =
  /** The server could not be reached at all (offline, DNS, refused). */
  | 'unreachable'
  /** The server answered with something that does not match the wire contract. */
  | 'bad-response'
  | (string & {});

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Where the refresh token is kept between runs (the host's secure storage). */
export type TokenStore = {
  load(): Promise<string | null>;
  save(refreshToken: string): Promise<void>;
  clear(): Promise<void>;
};

export type ApiOptions = {
  baseUrl: string;
  tokens: TokenStore;
  fetch?: typeof fetch;
  /** The server refused the refresh token (revoked, expired, reused): the user must sign in again. */
  onSessionLost?: () => void;
};

export type Api = {
  login(username: string, password: string): Promise<LoginResponse>;
  /** What the login screen offers: password sign-in, the company's identity provider, or both. */
  ssoConfig(): Promise<SsoConfig>;
  /** Single sign-on's last step: the server redeems the provider's code and starts a session like login does. */
  ssoExchange(request: SsoExchangeRequest): Promise<LoginResponse>;
  /** Exchanges the stored refresh token for a new pair; false when there is none or it was refused. */
  resume(): Promise<boolean>;
  logout(): Promise<void>;
  me(): Promise<User>;
  roster(teamId: string): Promise<TeamRoster>;
  health(): Promise<Health>;
  /** The softphone account provisioned for the signed-in user; ApiError 404 when there is none. */
  sipAccount(): Promise<SipAccount>;
  /** An authenticated POST whose response the caller validates (the sync transport parses with core/sync/wire). */
  postJson(path: string, body: unknown): Promise<unknown>;
  /** An authenticated GET whose response the caller validates (the chat service parses with core/wire/chat). */
  getJson(path: string): Promise<unknown>;
  /** An authenticated GET of a text document (the KPI CSV export); errors as getJson's. */
  getText(path: string): Promise<string>;
  /** An authenticated PUT whose response the caller validates (the SLA settings editor parses with core/wire/sla). */
  putJson(path: string, body: unknown): Promise<unknown>;
  /** An authenticated PATCH whose response the caller validates (the admin console parses with core/admin/wire). */
  patchJson(path: string, body: unknown): Promise<unknown>;
  /** An authenticated DELETE (the chat service removes quick replies with it); the body, if any, is unchecked. */
  deleteJson(path: string): Promise<unknown>;
  /** The current access token, for channels that cannot send headers (the poke WebSocket's first message). */
  accessToken(): string | null;
};

type Request = { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown; auth: boolean };

export function createApi(options: ApiOptions): Api {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl.replace(/\/+$/, '');
  let accessToken: string | null = null;
  /** Concurrent 401s share one refresh: a second refresh would reuse a now-revoked token. */
  let refreshing: Promise<boolean> | null = null;

  async function send(req: Request): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.auth && accessToken) headers.authorization = `Bearer ${accessToken}`;
    try {
      return await doFetch(`${base}${req.path}`, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      });
    } catch (cause) {
      throw new ApiError(0, 'unreachable', `server unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }

  async function parse<S extends z.ZodType>(res: Response, schema: S, as: 'json' | 'text' = 'json'): Promise<z.infer<S>> {
    if (as === 'text' && res.ok) return schema.parse(await res.text());
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const err = ApiErrorBody.safeParse(body);
      if (err.success) throw new ApiError(res.status, err.data.error.code, err.data.error.message);
      throw new ApiError(res.status, res.status >= 502 && res.status <= 504 ? 'unreachable' : 'bad-response', `HTTP ${res.status}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiError(res.status, 'bad-response', `unexpected response from ${res.url || 'server'}`);
    return parsed.data;
  }

  async function refreshOnce(): Promise<boolean> {
    const refreshToken = await options.tokens.load();
    if (!refreshToken) return false;
    const res = await send({ method: 'POST', path: '/auth/refresh', body: { refreshToken }, auth: false });
    if (res.status === 401 || res.status === 403) {
      accessToken = null;
      await options.tokens.clear();
      options.onSessionLost?.();
      return false;
    }
    const pair = await parse(res, TokenPair);
    accessToken = pair.accessToken;
    await options.tokens.save(pair.refreshToken);
    return true;
  }

  function refresh(): Promise<boolean> {
    refreshing ??= refreshOnce().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function authed<S extends z.ZodType>(req: Omit<Request, 'auth'>, schema: S, as: 'json' | 'text' = 'json'): Promise<z.infer<S>> {
    const tokenUsed = accessToken;
    let res = await send({ ...req, auth: true });
    if (res.status === 401) {
      // Another request may already have refreshed while this one was in flight.
      const renewed = accessToken !== tokenUsed && accessToken !== null ? true : await refresh();
      if (renewed) res = await send({ ...req, auth: true });
    }
    return parse(res, schema, as);
  }

  return {
    async login(username, password) {
      const res = await send({ method: 'POST', path: '/auth/login', body: { username, password }, auth: false });
      const session = await parse(res, LoginResponse);
      accessToken = session.accessToken;
      await options.tokens.save(session.refreshToken);
      return session;
    },
    async ssoConfig() {
      return parse(await send({ method: 'GET', path: '/auth/sso/config', auth: false }), SsoConfig);
    },
    async ssoExchange(request) {
      const res = await send({ method: 'POST', path: '/auth/sso/exchange', body: request, auth: false });
      const session = await parse(res, LoginResponse);
      accessToken = session.accessToken;
      await options.tokens.save(session.refreshToken);
      return session;
    },
    resume: refresh,
    async logout() {
      try {
        // The server revokes the whole session (access and refresh) from the bearer token; an expired
        // access token is renewed once first so the revoke still happens.
        if (accessToken !== null || (await options.tokens.load()) !== null) await authed({ method: 'POST', path: '/auth/logout' }, z.unknown());
      } catch {
        // Offline or already revoked: the local session ends either way.
      } finally {
        accessToken = null;
        await options.tokens.clear();
      }
    },
    me: () => authed({ method: 'GET', path: '/me' }, User),
    sipAccount: () => authed({ method: 'GET', path: '/me/sip-account' }, SipAccount),
    roster: (teamId) => authed({ method: 'GET', path: `/teams/${encodeURIComponent(teamId)}/roster` }, TeamRoster),
    async health() {
      return parse(await send({ method: 'GET', path: '/health', auth: false }), Health);
    },
    postJson: (path, body) => authed({ method: 'POST', path, body }, z.unknown()),
    getJson: (path) => authed({ method: 'GET', path }, z.unknown()),
    getText: (path) => authed({ method: 'GET', path }, z.string(), 'text'),
    putJson: (path, body) => authed({ method: 'PUT', path, body }, z.unknown()),
    patchJson: (path, body) => authed({ method: 'PATCH', path, body }, z.unknown()),
    deleteJson: (path) => authed({ method: 'DELETE', path }, z.unknown()),
    accessToken: () => accessToken,
  };
}
