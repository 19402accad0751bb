import { contentSecurityPolicy } from '../../core/csp';

/**
 * Headers on every response. The CSP is the renderer's own (core/csp.ts, the same builder Electron main
 * uses); in web mode the API is same-origin, so connect-src needs only 'self' plus WebSockets (realtime, SIP).
 * Its frame-ancestors 'none' (and X-Frame-Options for old browsers) stops clickjacking of the page.
 */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy({ connectSrc: ['ws:', 'wss:'] }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}
