import type { HeadsetCommand, HeadsetLights, PhoneNow } from '../../core/call/hidTelephony';
import { createHidHeadset, type HidHeadset, type HidLike } from '../services/headset/hidHeadset';
import type { AppState, AppStore } from '../stores/appStore';

/** The calls a headset button acts on: the one ringing, and the live one (established or held). */
function targets(s: AppState) {
  const calls = s.phone.calls.map((v) => v.call);
  const ringing = calls.find((c) => c.state === 'ringing-in');
  const live = calls.find((c) => c.state === 'established' || c.state === 'held');
  return { ringing, live };
}

export function headsetLights(s: AppState): HeadsetLights {
  const { ringing, live } = targets(s);
  return { offHook: live !== undefined, ring: ringing !== undefined && live === undefined, mute: live?.muted === true, hold: live?.onHold === true };
}

/**
 * Joins the headset to the phone: its buttons run the same store actions as the call card's buttons
 * (answer, decline, hang up, mute, hold), and its lights follow the store, so the mute light changes
 * whether the agent muted on the headset or on the screen.
 */
export function linkHeadset(store: AppStore, hid: HidLike | undefined, log: (line: string) => void): HidHeadset {
  const run = (cmd: HeadsetCommand) => {
    const s = store.getState();
    const { ringing, live } = targets(s);
    if (cmd === 'answer' && ringing) void s.answerCall(ringing.id);
    else if (cmd === 'decline' && ringing) void s.declineCall(ringing.id);
    else if (cmd === 'hang-up' && live) void s.hangupCall(live.id);
    else if (cmd === 'toggle-mute' && live) s.toggleMute(live.id);
    else if (cmd === 'toggle-hold' && live) void s.toggleHold(live.id);
  };
  const phoneNow = (): PhoneNow => {
    const { ringing, live } = targets(store.getState());
    return { ringing: ringing !== undefined && live === undefined, live: live !== undefined };
  };
  const headset = createHidHeadset({ hid, phoneNow, onCommand: run, log });
  store.subscribe((s, prev) => {
    if (s.phone.calls !== prev.phone.calls) headset.setLights(headsetLights(s));
  });
  return headset;
}
