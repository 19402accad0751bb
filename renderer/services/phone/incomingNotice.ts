import { remoteNumber } from '../../../core/call/rules';
import type { Locale } from '../../../core/locale';
import type { Host } from '../host/host';
import { callWording } from './callWording';
import type { IncomingCall } from './phone';

/**
 * A call arrives: a system notification in the agent's language and the window to the front, so it is
 * heard and seen over any other app. The caller's name is untrusted text; the body is capped.
 */
export function announceIncoming(host: Pick<Host, 'notify' | 'bringToFront'>, locale: Locale, incoming: IncomingCall, log: (line: string) => void): void {
  const { remote } = incoming;
  const who = remote.displayName ? `${remote.displayName} (${remoteNumber(remote.uri)})` : remoteNumber(remote.uri);
  const title = callWording.incomingTitle(locale, incoming.autoAnswered === true);
  host.notify({ title, body: who.slice(0, 1000), tag: 'incoming-call' }).catch((e: unknown) => log(`notify failed: ${String(e)}`));
  host.bringToFront().catch((e: unknown) => log(`bringToFront failed: ${String(e)}`));
}
