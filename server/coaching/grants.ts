import { createHmac, timingSafeEqual } from 'node:crypto';
import { GrantPayload, grantToken } from '../../core/coaching/grant';
import type { VerifyRefusal } from '../../core/coaching/wire';

/**
 * Signs and checks coaching grants (core/coaching/grant.ts). The key is derived from the server's token
 * secret with a fixed label, so a grant can never pass as an access token or the reverse, and rotating
 * the token secret also voids outstanding grants (they live a minute at most anyway).
 */
export type GrantSigner = {
  sign(payload: GrantPayload): string;
  /** The payload of a well-signed grant, or why not; expiry and single use are checked by the caller. */
  open(token: string): { ok: true; payload: GrantPayload } | { ok: false; reason: VerifyRefusal };
};

const b64 = (buf: Buffer): string => buf.toString('base64url');

export function createGrantSigner(tokenSecret: string): GrantSigner {
  const key = createHmac('sha256', tokenSecret).update('switchboard coaching grant v1').digest();
  const mac = (body: string): Buffer => createHmac('sha256', key).update(`v1.${body}`).digest();
  return {
    sign(payload) {
      const body = b64(Buffer.from(JSON.stringify(GrantPayload.parse(payload)), 'utf8'));
      return `v1.${body}.${b64(mac(body))}`;
    },
    open(token) {
      if (!grantToken.safeParse(token).success) return { ok: false, reason: 'malformed' };
      const [, body = '', sig = ''] = token.split('.');
      const given = Buffer.from(sig, 'base64url');
      const want = mac(body);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'forged' };
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      const parsed = GrantPayload.safeParse(json);
      return parsed.success ? { ok: true, payload: parsed.data } : { ok: false, reason: 'malformed' };
    },
  };
}
