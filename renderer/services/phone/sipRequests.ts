import { URI, UserAgent, type Session, type Web } from 'sip.js';
import type { CallId } from '../../../core/call/callMachine';
import { PhoneError, type PhoneErrorCode } from './phone';

/** Promise wrappers for in-dialog requests, and the RFC 3891 Replaces plumbing sip.js leaves to us. */

const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type Outcome = { onAccept(): void; onReject(r: { message: { statusCode?: number; reasonPhrase?: string } }): void };

function settle(what: string, code: PhoneErrorCode, callId: CallId, send: (delegate: Outcome) => Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (msg: string): void => reject(new PhoneError(code, msg, callId));
    send({
      onAccept: () => resolve(),
      onReject: (r) => fail(`${what} rejected: ${r.message.statusCode ?? 0} ${r.message.reasonPhrase ?? ''}`.trim()),
    }).catch((e: unknown) => fail(`${what} not sent: ${text(e)}`));
  });
}

/** A re-INVITE (hold, resume, ICE restart); resolves on 2xx, rejects with a PhoneError otherwise. */
export const sendReinvite = (session: Session, callId: CallId, options: Web.SessionDescriptionHandlerOptions): Promise<void> =>
  settle('re-INVITE', 'sip', callId, (requestDelegate) => session.invite({ sessionDescriptionHandlerOptions: options, requestDelegate }));

/** A REFER; resolves on 202 Accepted (the transfer is under way, not yet done). */
export const sendRefer = (session: Session, callId: CallId, to: URI): Promise<void> =>
  settle('REFER', 'transfer-failed', callId, (requestDelegate) => session.refer(to, { requestDelegate }));

/**
 * sip.js writes a URI Refer-To bare (`Refer-To: sip:x@y?Replaces=...`), which no parser accepts once the
 * URI has headers: RFC 3261 §20 requires the name-addr form `<...>` then. This URI prints itself in it.
 */
class NameAddrTarget extends URI {
  override toString(): string {
    return `<${super.toString()}>`;
  }
}

type DialogIds = { callId: string; localTag: string; remoteTag: string };

/**
 * Refer-To for an attended transfer: the consultee's AOR with a Replaces header naming our consult
 * dialog (RFC 3891, RFC 5589 §7). sip.js's refer(session) would use the consultee's Contact, but a
 * WebRTC Contact is a random *.invalid host that only the registrar can reach, so the transferee's
 * INVITE must go to the AOR and be routed by location.
 */
export function replacesTarget(aor: string, consult: DialogIds): URI | undefined {
  const u = UserAgent.makeURI(aor);
  if (!u) return undefined;
  // From our side of the consult dialog: their tag is the to-tag, ours the from-tag.
  const replaces = encodeURIComponent(`${consult.callId};to-tag=${consult.remoteTag};from-tag=${consult.localTag}`);
  return new NameAddrTarget(u.scheme, u.user ?? '', u.host, u.port, {}, { Replaces: [replaces] });
}

/** Parses a received Replaces header (`callid;to-tag=x;from-tag=y`); undefined when malformed. */
export function parseReplaces(header: string | undefined): { callId: string; toTag: string; fromTag: string } | undefined {
  if (!header) return undefined;
  const [callId, ...params] = header.split(';').map((s) => s.trim());
  const p = new Map(params.map((x) => x.split('=').map((s) => s.trim()) as [string, string]));
  const toTag = p.get('to-tag');
  const fromTag = p.get('from-tag');
  return callId && toTag && fromTag ? { callId, toTag, fromTag } : undefined;
}

/** Whether a Replaces (as received by us, the transfer target) names this dialog of ours. */
export const replacesDialog = (r: { callId: string; toTag: string; fromTag: string }, d: DialogIds | undefined): boolean =>
  !!d && d.callId === r.callId && d.localTag === r.toTag && d.remoteTag === r.fromTag;
