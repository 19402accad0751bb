/**
 * Main-process configuration. The app's own origin is fixed; the server address and the external-link
 * allow-list come from the environment so IT can point a packaged app at their server without a rebuild.
 */
export const appScheme = 'app';
export const appHost = 'switchboard';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

export const defaultServerUrl = 'http://127.0.0.1:7600';

export type MainConfig = {
  serverUrl: string;
  /** Hosts `shell:open-external` and window.open may send to the OS browser (core/externalLinks.ts). */
  allowedLinkHosts: string[];
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The central server: SWITCHBOARD_SERVER_URL (a developer override), else the ServerUrl policy (managed
 * by IT, or what the agent set in Settings; electron/policy), else http://127.0.0.1:7600.
 * SWITCHBOARD_LINK_HOSTS: comma-separated hosts (`*.example.com` allowed) that links may open; the
 * server's own host is always included when it is served over https.
 */
export function readMainConfig(env: Record<string, string | undefined>, policyServerUrl?: string): MainConfig {
  const serverUrl = env.SWITCHBOARD_SERVER_URL?.trim() || policyServerUrl || defaultServerUrl;
  const source = env.SWITCHBOARD_SERVER_URL?.trim() ? 'SWITCHBOARD_SERVER_URL' : 'the ServerUrl policy';
  let parsed: URL;
  try {
    parsed = new URL(serverUrl);
  } catch {
    throw new ConfigError(`${source} is not a URL: ${JSON.stringify(serverUrl)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${source} must be http(s), got ${parsed.protocol}`);
  }
  const hosts = (env.SWITCHBOARD_LINK_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
  if (parsed.protocol === 'https:') hosts.push(parsed.hostname.toLowerCase());
  return { serverUrl: parsed.origin, allowedLinkHosts: [...new Set(hosts)] };
}

/**
 * True for URLs of our own page. Node's URL reports origin 'null' for schemes it does not know, so the
 * check compares scheme and host instead of `origin`.
 */
export function isAppUrl(raw: string | null | undefined): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${appScheme}:` && url.host === appHost && !url.username && !url.password;
  } catch {
    return false;
  }
}
