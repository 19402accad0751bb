import { shell } from 'electron';
import { checkExternalLink } from '../core/externalLinks';
import { HostError } from './ipc/hostError';

/**
 * The ONE place a link leaves the app for the OS browser. Both window.open from the page and the
 * `shell:open-external` channel come here, and only https links to allow-listed hosts pass
 * (core/externalLinks.ts): customer text is untrusted, and shell.openExternal on a `file:`, `smb:` or
 * custom-scheme URL can run programs on the agent's machine.
 */
export async function openExternalLink(raw: string, allowedHosts: readonly string[]): Promise<void> {
  const verdict = checkExternalLink(raw, allowedHosts);
  if (!verdict.allowed) throw new HostError('not-allowed', `link refused: ${verdict.reason}`);
  await shell.openExternal(verdict.url, { activate: true });
}
