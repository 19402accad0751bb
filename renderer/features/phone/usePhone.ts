import { useEffect, useState } from 'react';
import type { Call } from '../../../core/call/callMachine';
import { useAppStore, useAppStoreApi } from '../../stores/appStore';
import { remoteNumber } from '../../../core/call/rules';
import type { CallView } from '../../stores/phoneSlice';

/** Wall-clock now, refreshed every `ms` while mounted (call timers). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Who is on the line: the customer from the screen pop, else the caller's display name, else the number. */
export function remoteLabel(v: CallView): { name: string; number: string } {
  const number = remoteNumber(v.call.remote.uri);
  const name = v.pop?.status === 'found' ? v.pop.customer.name : (v.call.remote.displayName ?? '');
  return { name: name || number, number };
}

export const isRinging = (c: Call) => c.state === 'ringing-in';
export const isTalking = (c: Call) => c.state === 'dialing' || c.state === 'early' || c.state === 'established' || c.state === 'held' || c.state === 'ending';

export function useCalls(): CallView[] {
  return useAppStore((s) => s.phone.calls);
}

/** Shows a ticket from the screen pop: navigation is the shell's, not the phone slice's. */
export function useOpenTicketFromCall(): (ticketId: string) => void {
  const store = useAppStoreApi();
  return (ticketId) => {
    store.getState().selectTicket(ticketId);
    store.getState().goTo('tickets');
  };
}
