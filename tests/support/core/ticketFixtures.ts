import type { Ticket } from '../../../core/tickets/model';
import type { Actor } from '../../../core/tickets/scope';

/** Shared fixtures for ticket and sync tests (a plain module so core/ and renderer/ tests reuse it). */
export const agentAnna: Actor = { userId: 'u-anna', role: 'agent', teamIds: ['t-billing'] };
export const agentBo: Actor = { userId: 'u-bo', role: 'agent', teamIds: ['t-billing'] };
export const leadLi: Actor = { userId: 'u-li', role: 'lead', teamIds: ['t-billing'] };
export const outsider: Actor = { userId: 'u-zed', role: 'agent', teamIds: ['t-tech'] };

let n = 0;
export function makeTicket(over: Partial<Ticket> = {}): Ticket {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    number: 1000 + n,
    subject: `Ticket ${n}`,
    status: 'open',
    priority: 'normal',
    customerId: null,
    assigneeId: null,
    teamId: 't-billing',
    tags: [],
    channel: 'phone',
    slaFirstResponseDue: null,
    slaResolutionDue: null,
    createdAt: 1_000,
    updatedAt: 1_000 + n,
    version: 1,
    ...over,
  };
}
