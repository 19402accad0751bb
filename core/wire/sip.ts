import { z } from 'zod';

/**
 * Wire contract of `GET /me/sip-account`: the softphone account the server provisioned for the
 * signed-in user. The password is a SIP digest secret (RFC 3261 §22), not the user's login password;
 * the PBX needs it in the clear, so it travels only to its owner over the authenticated API.
 */

/** RTCIceServer as the browser takes it; TURN entries carry their own short-lived credentials. */
export const IceServer = z.object({
  urls: z.union([z.string().min(1).max(512), z.array(z.string().min(1).max(512)).min(1).max(8)]),
  username: z.string().max(512).optional(),
  credential: z.string().max(512).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

const wsUri = z
  .string()
  .max(2048)
  .regex(/^wss?:\/\/[^\s/?#]+(\/[^\s]*)?$/i, 'must be a ws:// or wss:// URL');
const sipUri = z
  .string()
  .max(512)
  .regex(/^sips?:[^@\s]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?$/i, 'must be a SIP URI like sip:1001@example.com');

export const SipAccount = z.object({
  /** The PBX's SIP-over-WebSocket endpoint (RFC 7118). */
  wsUri,
  /** The agent's address of record. */
  sipUri,
  authUser: z.string().min(1).max(128),
  password: z.string().min(1).max(256),
  displayName: z.string().max(200),
  iceServers: z.array(IceServer).max(16),
  /** An extension that answers and echoes audio back, for the readiness check's test call (a policy may name another). */
  echoExtension: z.string().regex(/^[0-9A-Za-z_.+-]{1,64}$/).optional(),
  /** The server runs the demo customer line (embedded PBX): `POST /demo/customer-call` has it call you. */
  demoCustomerLine: z.boolean().optional(),
});
export type SipAccount = z.infer<typeof SipAccount>;

/** What the agent may override in Settings (each field optional: unset follows the server). */
export const SipAccountOverride = z
  .object({ wsUri, sipUri, authUser: z.string().min(1).max(128), password: z.string().min(1).max(256) })
  .partial();
export type SipAccountOverride = z.infer<typeof SipAccountOverride>;
