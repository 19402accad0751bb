import type { App, WebContents } from 'electron';
import { openExternalLink } from './links';

/**
 * Hardening for every webContents the app ever creates (Electron security checklist items 12-14):
 * the page never navigates or redirects away from app://switchboard (the renderer is a single page
 * that routes in-app), never opens a second Electron window, and never attaches a <webview>.
 * A window.open to an allow-listed https link goes to the OS browser instead.
 */
export type HardeningOptions = {
  allowedLinkHosts: () => readonly string[];
  log?: (line: string) => void;
};

export function hardenWebContents(contents: WebContents, options: HardeningOptions): void {
  const log = options.log ?? ((line: string) => console.warn(line));
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`[security] navigation to ${url} prevented`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`[security] redirect to ${url} prevented`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[security] <webview> refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url, options.allowedLinkHosts()).catch((err: unknown) => {
      log(`[security] window.open(${url}) not opened: ${err instanceof Error ? err.message : String(err)}`);
    });
    return { action: 'deny' };
  });
}

/** Applies hardenWebContents to every webContents, including ones created later (devtools aside). */
export function hardenAllWebContents(app: App, options: HardeningOptions): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, options);
  });
}
