import { protocol, type Session } from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { appHost, appScheme } from './config';

/**
 * The renderer is served from `app://switchboard/…` (dist/renderer), never file://: file:// pages share
 * one opaque origin with every local file, so a script injected into one could read others. A standard,
 * secure scheme gives the page a real origin for CSP 'self', IndexedDB, fetch and permissions.
 */

/** Must run before `app.whenReady()`: Chromium reads the scheme list once, at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps a request URL to a file under `root`, or null when it must be refused: another host, an
 * encoded separator or NUL, or a path that resolves outside root (`..`, even percent-encoded).
 */
export function resolveAppPath(root: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return null;
  // Encoded slashes and backslashes would let one path segment act as several after decoding.
  if (/%2f|%5c|%00/i.test(url.pathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const target = path.resolve(base, relative);
  if (target !== base && !target.startsWith(base + path.sep)) return null;
  return target;
}

export type AppProtocolOptions = {
  /** Absolute path of dist/renderer. */
  root: string;
  /** The Content-Security-Policy header value for every response (core/csp.ts). */
  csp: string;
  log?: (line: string) => void;
};

const baseHeaders = (csp: string): Record<string, string> => ({
  'Content-Security-Policy': csp,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
});

/** The request handler, separate from registration so tests can call it with plain Requests. */
export function createAppRequestHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const log = options.log ?? ((line: string) => console.warn(line));
  let realRoot: Promise<string> | null = null;
  const text = (status: number, body: string) =>
    new Response(body, { status, headers: { ...baseHeaders(options.csp), 'Content-Type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');
    const target = resolveAppPath(options.root, request.url);
    if (!target) {
      log(`[app://] refused ${request.url}`);
      return text(403, 'forbidden');
    }
    try {
      // A symlink inside dist/renderer must not lead outside it either.
      realRoot ??= realpath(options.root);
      const [rootReal, targetReal] = await Promise.all([realRoot, realpath(target)]);
      if (!targetReal.startsWith(rootReal + path.sep)) {
        log(`[app://] refused ${request.url}: resolves outside the renderer folder`);
        return text(403, 'forbidden');
      }
      const body = await readFile(targetReal);
      const type = mimeTypes[path.extname(targetReal).toLowerCase()] ?? 'application/octet-stream';
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...baseHeaders(options.csp), 'Content-Type': type },
      });
    } catch {
      return text(404, 'not found');
    }
  };
}

export function registerAppProtocol(session: Session, options: AppProtocolOptions): void {
  session.protocol.handle(appScheme, createAppRequestHandler(options));
}
