import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { IceServer, type SipAccount } from '../../core/wire/sip';
import { ConfigError } from '../config';
import type { Queryable } from '../db/db';
import type { AppContext } from '../http/context';
import { notFound } from '../http/errors';

/**
 * `GET /me/sip-account`: the softphone account of the signed-in user, built from the PBX settings of
 * the server's environment and the user's extension and SIP password (0009-sip-accounts.sql).
 *
 *   SWITCHBOARD_SIP_WS_URL       the PBX's SIP-over-WebSocket URL (default ws://127.0.0.1:8080)
 *   SWITCHBOARD_SIP_DOMAIN       the SIP domain extensions live in (default 127.0.0.1)
 *   SWITCHBOARD_SIP_ICE_SERVERS  JSON array of RTCIceServer, e.g. STUN and TURN with credentials
 *                                (default: none, which is right for a LAN or loopback PBX)
 */

export const SipConfig = z.object({
  wsUrl: z.string().regex(/^wss?:\/\/[^\s]+$/i, 'must be a ws:// or wss:// URL').default('ws://127.0.0.1:8080'),
  domain: z.string().regex(/^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/, 'must be a host name or address').default('127.0.0.1'),
  iceServers: z.array(IceServer).max(16).default([]),
  /** SWITCHBOARD_SIP_ECHO_EXTENSION: the PBX's echo extension, offered to the readiness check (the embedded PBX sets its own). */
  echoExtension: z.string().regex(/^[0-9A-Za-z_.+-]{1,64}$/, 'must be an extension').optional(),
  /** Set by the embedded PBX only: the demo customer line can call agents. */
  demoCustomerLine: z.boolean().default(false),
});
export type SipConfig = z.output<typeof SipConfig>;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the SIP settings; a bad value stops the start with the variable's name, like loadConfig. */
export function loadSipConfig(env: Env = process.env): SipConfig {
  let ice: unknown;
  if (env.SWITCHBOARD_SIP_ICE_SERVERS) {
    try {
      ice = JSON.parse(env.SWITCHBOARD_SIP_ICE_SERVERS);
    } catch {
      throw new ConfigError('SWITCHBOARD_SIP_ICE_SERVERS: not JSON (expected an array of RTCIceServer)');
    }
  }
  const parsed = SipConfig.safeParse({
    wsUrl: env.SWITCHBOARD_SIP_WS_URL || undefined,
    domain: env.SWITCHBOARD_SIP_DOMAIN || undefined,
    iceServers: ice,
    echoExtension: env.SWITCHBOARD_SIP_ECHO_EXTENSION || undefined,
  });
  if (!parsed.success) {
    const names: Record<string, string> = { wsUrl: 'SWITCHBOARD_SIP_WS_URL', domain: 'SWITCHBOARD_SIP_DOMAIN', iceServers: 'SWITCHBOARD_SIP_ICE_SERVERS', echoExtension: 'SWITCHBOARD_SIP_ECHO_EXTENSION' };
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid server configuration: ${names[String(issue?.path[0])] ?? 'SIP'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export async function findSipAccount(db: Queryable, userId: string, sip: SipConfig): Promise<SipAccount | null> {
  const { rows } = await db.query<{ display_name: string; extension: string | null; sip_password: string | null }>(
    'select display_name, extension, sip_password from users where id = $1 and not disabled',
    [userId],
  );
  const row = rows[0];
  if (!row?.extension || !row.sip_password) return null;
  return {
    wsUri: sip.wsUrl,
    sipUri: `sip:${row.extension}@${sip.domain}`,
    authUser: row.extension,
    password: row.sip_password,
    displayName: row.display_name,
    iceServers: sip.iceServers,
    ...(sip.echoExtension ? { echoExtension: sip.echoExtension } : {}),
    ...(sip.demoCustomerLine ? { demoCustomerLine: true } : {}),
  };
}

export function sipAccountRoutes(app: FastifyInstance, ctx: AppContext, sip: SipConfig = loadSipConfig()): void {
  // The embedded PBX (server/pbx) starts after the routes exist; it fills in its own address here.
  const current = (): SipConfig => {
    const pbx = ctx.pbx?.current;
    return pbx ? { ...sip, wsUrl: pbx.wsUrl, domain: pbx.domain, echoExtension: sip.echoExtension ?? pbx.echoExtension, demoCustomerLine: true } : sip;
  };
  app.get('/me/sip-account', async (request, reply): Promise<SipAccount> => {
    const claims = await ctx.authenticate(request);
    const account = await findSipAccount(ctx.db, claims.sub, current());
    if (!account) throw notFound('No softphone account is provisioned for you; ask IT for an extension.');
    // A secret: never in a shared cache or the browser's disk cache.
    void reply.header('cache-control', 'no-store');
    return account;
  });
}
