/**
 * The single allow-list check for opening a link outside the app (the OS browser). Customer text is
 * untrusted, so only https URLs to hosts on the list leave the app; everything else is refused.
 * Both the Electron main process and the browser host call this; nothing else opens links.
 */
export type LinkVerdict = { allowed: true; url: string } | { allowed: false; reason: string };

export function checkExternalLink(raw: string, allowedHosts: readonly string[]): LinkVerdict {
  if (raw.length > 2048) return { allowed: false, reason: 'too long' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:') return { allowed: false, reason: `scheme ${url.protocol} refused` };
  if (url.username || url.password) return { allowed: false, reason: 'credentials in URL refused' };
  const hostname = url.hostname.toLowerCase();
  const hostAllowed = allowedHosts.some((h) => {
    const allowed = h.toLowerCase();
    if (allowed.startsWith('*.')) return hostname.endsWith(allowed.slice(1));
    return hostname === allowed;
  });
  if (!hostAllowed) return { allowed: false, reason: `host ${hostname} not allow-listed` };
  return { allowed: true, url: url.toString() };
}
