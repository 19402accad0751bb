/**
 * Headers on every response. The CSP is the one the renderer is built for: only our own scripts and
 * styles (no inline code), media from blobs (call recordings, voicemail), WebSockets for realtime and SIP.
 * frame-ancestors 'none' stops clickjacking of the web mode page.
 * core/csp.ts did not exist when this was written; when it lands, build the policy from it instead.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self' ws: wss:",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}
