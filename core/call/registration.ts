/**
 * SIP registration as the agent sees it. The one promise: `registered` means the last REGISTER got a
 * 2xx AND the transport that carried it is still up. sip.js's own Registerer stays "Registered" after
 * the WebSocket dies (it only learns at the next refresh), which would show a green badge while calls
 * cannot reach the agent; this machine keeps the two facts separately and derives the state from both.
 *
 * ```
 *                    register
 *  +--------------+ ----------> +-------------+  2xx + transport up  +------------+
 *  | unregistered |             | registering | -------------------> | registered |
 *  +--------------+ <---------- +-------------+                      +------------+
 *         ^       unregistered        |   ^                               |
 *         |                           |   | transport-up / retry          | transport-down,
 *         |  unregister               |   |                               | REGISTER 5xx / timeout
 *         |  (from any state)         V   |                               V
 *         |                     +--------------+  <---------------------------
 *         +-------------------- | reconnecting |  (reason, attempt)
 *                               +--------------+
 *  401/403 with our credentials, or a bad account --> +--------+  (no retry: retrying the same
 *                                                     | failed |   password cannot succeed)
 *                                                     +--------+
 * ```
 */

export type RegistrationFailure =
  /** The registrar rejected our credentials (401/407 after authenticating, or 403). */
  | { code: 'auth-rejected'; status: number; message: string }
  /** The account settings cannot work (bad URI, missing password). */
  | { code: 'bad-config'; message: string };

export type ReconnectReason =
  /** The WebSocket could not be opened (DNS, refused, TLS). */
  | { code: 'unreachable'; message: string }
  /** The WebSocket was up and closed or went silent (keepalive/OPTIONS unanswered). */
  | { code: 'transport-lost'; message: string }
  /** The registrar answered with an error a retry may cure (5xx, 408, 480). */
  | { code: 'server-error'; status: number; message: string };

export type RegistrationState =
  | { kind: 'unregistered' }
  | { kind: 'registering' }
  | { kind: 'registered'; expiresSec: number }
  | { kind: 'reconnecting'; attempt: number; reason: ReconnectReason }
  | { kind: 'failed'; reason: RegistrationFailure };

export type RegistrationModel = {
  state: RegistrationState;
  /** The agent wants to be reachable (register was asked for and not withdrawn). */
  wanted: boolean;
  transportUp: boolean;
  /** The outcome of the last REGISTER (not un-REGISTER) on the current transport. */
  lastRegisterOk: boolean;
  /** Failed transport/register attempts since the last success; drives the backoff. */
  attempt: number;
};

export type RegistrationEvent =
  | { type: 'register' }
  | { type: 'unregister' }
  | { type: 'transport-up' }
  | { type: 'transport-down'; reason: ReconnectReason }
  | { type: 'register-ok'; expiresSec: number }
  | { type: 'register-rejected'; status: number; phrase: string }
  | { type: 'bad-config'; message: string }
  | { type: 'unregistered' };

export const initialRegistration: RegistrationModel = {
  state: { kind: 'unregistered' },
  wanted: false,
  transportUp: false,
  lastRegisterOk: false,
  attempt: 0,
};

/** Statuses where the server said "not you": retrying with the same password only locks the account. */
const authStatuses = new Set([401, 403, 407]);

export function nextRegistration(m: RegistrationModel, e: RegistrationEvent): RegistrationModel {
  switch (e.type) {
    case 'register':
      return { ...m, wanted: true, lastRegisterOk: false, state: { kind: 'registering' } };
    case 'unregister':
      return { ...m, wanted: false, lastRegisterOk: false, attempt: 0, state: { kind: 'unregistered' } };
    case 'unregistered':
      return { ...m, lastRegisterOk: false, state: m.wanted ? m.state : { kind: 'unregistered' } };
    case 'bad-config':
      return { ...m, wanted: false, lastRegisterOk: false, state: { kind: 'failed', reason: { code: 'bad-config', message: e.message } } };
    case 'transport-up':
      // A new connection carries no registration yet: the registrar maps our contact to the old one.
      return { ...m, transportUp: true, lastRegisterOk: false, state: m.wanted ? { kind: 'registering' } : m.state };
    case 'transport-down': {
      const attempt = m.attempt + 1;
      const base = { ...m, transportUp: false, lastRegisterOk: false, attempt };
      if (!m.wanted || m.state.kind === 'failed') return base;
      return { ...base, state: { kind: 'reconnecting', attempt, reason: e.reason } };
    }
    case 'register-ok':
      if (!m.wanted) return m;
      return {
        ...m,
        lastRegisterOk: true,
        attempt: m.transportUp ? 0 : m.attempt,
        state: m.transportUp ? { kind: 'registered', expiresSec: e.expiresSec } : m.state,
      };
    case 'register-rejected': {
      if (!m.wanted) return m;
      const message = `${e.status} ${e.phrase}`.trim();
      if (authStatuses.has(e.status)) {
        return { ...m, wanted: false, lastRegisterOk: false, state: { kind: 'failed', reason: { code: 'auth-rejected', status: e.status, message } } };
      }
      const attempt = m.attempt + 1;
      return { ...m, lastRegisterOk: false, attempt, state: { kind: 'reconnecting', attempt, reason: { code: 'server-error', status: e.status, message } } };
    }
  }
}

export const isRegistered = (m: RegistrationModel): boolean =>
  m.state.kind === 'registered' && m.transportUp && m.lastRegisterOk;
