import { vi } from 'vitest';
import { newOutboundCall, type Call } from '../../../core/call/callMachine';
import type { RegistrationState } from '../../../core/call/registration';
import type { Phone, PhoneAccount, PhoneDelegate } from '../../../renderer/services/phone/phone';

/** A Phone that records what the slice asked for; the test plays the network through its delegate. */
export function fakePhone() {
  const made: Array<{ phone: Phone; delegate: PhoneDelegate; account?: PhoneAccount }> = [];
  const calls = vi.fn(() => [] as Call[]);
  const create = (delegate: PhoneDelegate): Phone => {
    const entry: (typeof made)[number] = { delegate, phone: undefined as unknown as Phone };
    entry.phone = {
      configure: vi.fn((a: PhoneAccount) => void (entry.account = a)),
      register: vi.fn(async () => delegate.onRegistration({ kind: 'registering' })),
      unregister: vi.fn(async () => delegate.onRegistration({ kind: 'unregistered' })),
      dial: vi.fn(async (target: string) => {
        const call = newOutboundCall('out1', { uri: `sip:${target}@pbx` }, 'rfc4733', 1000);
        delegate.onCallState(call.id, call);
        return call.id;
      }),
      answer: vi.fn(async () => undefined),
      decline: vi.fn(async () => undefined),
      hangup: vi.fn(async () => undefined),
      hold: vi.fn(async () => undefined),
      resume: vi.fn(async () => undefined),
      mute: vi.fn(),
      unmute: vi.fn(),
      sendDtmf: vi.fn(async () => undefined),
      blindTransfer: vi.fn(async () => undefined),
      startConsult: vi.fn(async () => 'consult1'),
      completeTransfer: vi.fn(async () => undefined),
      setMicrophone: vi.fn(async () => undefined),
      setSpeaker: vi.fn(async () => undefined),
      setRinger: vi.fn(async () => undefined),
      setSecondRinger: vi.fn(async () => undefined),
      resumed: vi.fn(),
      calls,
      registration: vi.fn((): RegistrationState => ({ kind: 'unregistered' })),
      dispose: vi.fn(async () => undefined),
    };
    made.push(entry);
    return entry.phone;
  };
  return { made, create, last: () => made[made.length - 1]! };
}

