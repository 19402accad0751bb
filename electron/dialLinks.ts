import { parseDialLink } from '../core/dial';
import type { DialRequest } from '../core/dial';

/**
 * `tel:` / `sip:` / `callto:` links reach main three ways: in argv when the OS starts us with one
 * (Windows, Linux), in a second instance's argv (forwarded by the single-instance lock), and as macOS
 * `open-url`. All of them go through parseDialLink, then to the renderer as 'app:dial-request', which
 * fills the dialer and waits for the agent's click (the dial policy's verdict shown beside it); nothing
 * here dials. A link that arrives before the page can listen is held, not dropped: clicking a number in
 * the CRM should reach the dialer even when it also had to start the app.
 */
export const dialSchemes = ['tel', 'sip', 'callto'] as const;

const looksLikeDialLink = /^(tel|sips?|callto):/i;

/** Dial links among command-line arguments; flags and paths are ignored. */
export function dialLinksFromArgv(argv: readonly string[]): string[] {
  return argv.filter((arg) => looksLikeDialLink.test(arg));
}

export type DialRouter = {
  /** Parses and forwards (or holds) a link; returns false when it was not a link we would dial. */
  accept(link: string): boolean;
  /** The renderer is listening: forward the held link, if any. */
  ready(): void;
  /** The renderer went away (reload, crash): hold links until it is ready again. */
  notReady(): void;
};

export function createDialRouter(send: (request: DialRequest) => void, log: (line: string) => void = (l) => console.warn(l)): DialRouter {
  let isReady = false;
  // Only the latest link is held: two clicks while the app starts mean "call this one", not two calls.
  let held: DialRequest | null = null;
  return {
    accept(link) {
      const target = parseDialLink(link);
      if (!target) {
        log(`[dial] ignored link that is not dialable: ${link.slice(0, 80)}`);
        return false;
      }
      const request: DialRequest = { target, source: 'link' };
      if (isReady) send(request);
      else held = request;
      return true;
    },
    ready() {
      isReady = true;
      const request = held;
      held = null;
      if (request) send(request);
    },
    notReady() {
      isReady = false;
    },
  };
}
