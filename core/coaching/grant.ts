import { z } from 'zod';

/**
 * A coaching grant: the central server's permission for one lead to coach one agent on one call.
 * Format `v1.<payload>.<signature>`, both base64url; the payload is the JSON below, the signature an
 * HMAC-SHA256 the server makes and checks (server/coaching/grants.ts). The agent's app treats it as
 * opaque and asks the server to verify it (POST /coaching/verify), which also consumes it, so a grant
 * is single-use: a replayed INVITE with a captured grant is refused.
 */

/** Fits a SIP header value: base64url parts and dots only, bounded. */
export const grantToken = z.string().regex(/^v1\.[A-Za-z0-9_-]{16,1400}\.[A-Za-z0-9_-]{43}$/, 'not a coaching grant');

export const GrantPayload = z.object({
  /** Unique id: the replay guard and the audit session's id. */
  jti: z.uuid(),
  leadId: z.uuid(),
  agentId: z.uuid(),
  teamId: z.uuid(),
  /** The agent app's id of the customer call the lead may join. */
  callId: z.string().min(1).max(64),
  /** Epoch seconds. */
  iat: z.number().int(),
  exp: z.number().int(),
});
export type GrantPayload = z.infer<typeof GrantPayload>;

/** Ceiling for a grant's life: long enough to place the coaching call, short enough to be useless later. */
export const maxGrantTtlSeconds = 60;
