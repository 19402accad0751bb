import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { Role } from '../../core/wire/auth';

/**
 * Access tokens are short-lived HS256 JWTs (claims sub, role, sid, exp). Refresh tokens are opaque
 * random strings; the database keeps only their SHA-256, so a leaked database cannot be replayed.
 */

export type AccessClaims = { sub: string; role: Role; sid: string };

const Claims = z.object({ sub: z.uuid(), role: Role, sid: z.uuid(), exp: z.number() });

export type TokenService = {
  signAccess(claims: AccessClaims): Promise<string>;
  /** Null for anything not valid now: garbage, wrong signature or algorithm, expired, wrong claims. */
  verifyAccess(token: string): Promise<AccessClaims | null>;
  readonly accessTtl: number;
};

const issuer = 'switchboard';
const audience = 'switchboard-api';

export function createTokenService(secret: string, accessTtl: number): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    accessTtl,
    signAccess: ({ sub, role, sid }) =>
      new SignJWT({ role, sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + accessTtl)
        .sign(key),
    async verifyAccess(token) {
      try {
        // Pinning the algorithm refuses `alg: none` and algorithm-confusion tokens.
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer, audience, clockTolerance: 0 });
        const claims = Claims.safeParse(payload);
        return claims.success ? { sub: claims.data.sub, role: claims.data.role, sid: claims.data.sid } : null;
      } catch (err) {
        if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
        throw err;
      }
    },
  };
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
