import { nextCallState, type Call, type CallEvent } from '../../../core/call/callMachine';

/** Runs a call through events with the real state machine; an illegal step throws, so a test's script cannot go wrong silently. */
export function step(call: Call, ...events: CallEvent[]): Call {
  return events.reduce((c, e) => {
    const r = nextCallState(c, e);
    if (!r.ok) throw new Error(`${e.type} illegal in ${c.state}`);
    return r.call;
  }, call);
}
