/**
 * The screen pop: who is calling, from the agent's own customer cache (so it works offline), and their
 * open tickets, the first place a call note would go.
 */
export type ScreenPopTicket = { id: string; number: number | null; subject: string; status: string };
export type ScreenPop =
  | { status: 'looking' }
  | { status: 'found'; customer: { id: string; name: string; phone?: string | null }; tickets: ScreenPopTicket[] }
  | { status: 'unknown' };

export type CustomerDirectory = {
  byPhone(number: string): Promise<{ id: string; name: string; phone?: string | null } | undefined>;
  openTickets(customerId: string): Promise<ScreenPopTicket[]>;
};

export async function lookUpCaller(customers: CustomerDirectory, number: string): Promise<ScreenPop> {
  const customer = await customers.byPhone(number);
  return customer ? { status: 'found', customer, tickets: await customers.openTickets(customer.id) } : { status: 'unknown' };
}

/** Where the call note goes unless the agent picks: the caller's only open ticket, if there is exactly one. */
export const onlyOpenTicket = (pop: ScreenPop): string | undefined => (pop.status === 'found' && pop.tickets.length === 1 ? pop.tickets[0]!.id : undefined);
