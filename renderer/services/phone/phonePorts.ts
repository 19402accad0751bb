import type { User } from '../../../core/wire/auth';
import type { CallLogRepo } from '../db/callLogRepo';
import type { MissedCallsRepo } from '../db/missedCallsRepo';
import type { TicketsRepo } from '../db/ticketsRepo';
import type { SyncEngine } from '../sync/syncEngine';
import type { CallRecord } from '../../../core/call/rules';
import type { InviteInterceptor } from './coachingInvite';
import type { Phone, PhoneDelegate } from './phone';
import type { CustomerDirectory, ScreenPopTicket } from './screenPop';
import { createSipPhone } from './sipPhone';

const openStatuses = new Set(['new', 'open', 'pending']);

/** The signed-in user's data the phone reads and writes (the tickets feature's services, structurally). */
export type PhoneDataSource = { user: User; tickets: TicketsRepo; engine: SyncEngine };

/** The missed-call list's port: the session's repository while signed in; writes fail and reads are empty otherwise. */
export type MissedCallsPort = Pick<MissedCallsRepo, 'add' | 'recent' | 'unseenCount' | 'markAllSeen' | 'importLegacy'>;

/** The phone slice's ports (stores/phoneSlice.ts `PhoneDeps`), built once by the composition root. */
export type PhonePorts = {
  createPhone(delegate: PhoneDelegate): Phone;
  callLog: { put(row: CallRecord): Promise<void>; recent(limit?: number): Promise<CallRecord[]> };
  missedCalls: MissedCallsPort;
  customers: CustomerDirectory;
  addInternalNote(ticketId: string, body: string): Promise<void>;
  createTicket(input: { subject: string; customerId: string | null }): Promise<{ id: string; number: number | null }>;
};

/**
 * The phone slice's ports onto the signed-in user's local data: the screen pop reads the ticket cache
 * (so it works offline), notes and new tickets go through the sync engine's outbox, and the call log
 * is the user session's, on its one outbox connection (a logged call's report goes out through the drainer).
 */
export function createPhonePorts(opts: {
  services(): PhoneDataSource | null;
  /** The user session's call log (its one outbox connection); null while signed out. */
  callLog(): Pick<CallLogRepo, 'put' | 'recent'> | null;
  /** The user session's missed calls; null while signed out. */
  missedCalls?(): MissedCallsPort | null;
  log(line: string): void;
  /** Coaching INVITEs are handled by the coaching session before the phone sees them. */
  interceptInvite?: InviteInterceptor;
  /** Diagnostics: every SIP message sent and received (redacted by the trace), and a tap on the phone's events. */
  sipTrace?: { record(direction: 'in' | 'out', message: string): void };
  tapDelegate?: (delegate: PhoneDelegate) => PhoneDelegate;
}): PhonePorts {
  const need = (): PhoneDataSource => {
    const s = opts.services();
    if (!s) throw new Error('not signed in');
    return s;
  };

  return {
    createPhone: (delegate) =>
      createSipPhone({
        delegate: opts.tapDelegate ? opts.tapDelegate(delegate) : delegate,
        log: (line) => opts.log(`[phone] ${line}`),
        ...(opts.interceptInvite ? { interceptInvite: opts.interceptInvite } : {}),
        ...(opts.sipTrace ? { trace: (direction: 'in' | 'out', message: string) => opts.sipTrace?.record(direction, message) } : {}),
      }),
    callLog: {
      async put(row) {
        const log = opts.callLog();
        if (!log) throw new Error('not signed in');
        await log.put(row);
      },
      async recent(limit) {
        return (await opts.callLog()?.recent(limit)) ?? [];
      },
    },
    missedCalls: {
      async add(call) {
        const repo = opts.missedCalls?.();
        if (!repo) throw new Error('not signed in');
        await repo.add(call);
      },
      recent: async (limit) => (await opts.missedCalls?.()?.recent(limit)) ?? [],
      unseenCount: async () => (await opts.missedCalls?.()?.unseenCount()) ?? 0,
      markAllSeen: async () => (await opts.missedCalls?.()?.markAllSeen()) ?? 0,
      importLegacy: async (raw) => (await opts.missedCalls?.()?.importLegacy(raw)) ?? 0,
    },
    customers: {
      async byPhone(number) {
        const s = opts.services();
        const c = s ? await s.tickets.customerByPhone(number) : undefined;
        return c && { id: c.id, name: c.name, phone: c.phone ?? null };
      },
      async openTickets(customerId): Promise<ScreenPopTicket[]> {
        const s = opts.services();
        const rows = s ? await s.tickets.ticketsOfCustomer(customerId) : [];
        return rows.filter((t) => openStatuses.has(t.status)).slice(0, 5).map((t) => ({ id: t.id, number: t.number, subject: t.subject, status: t.status }));
      },
    },
    async addInternalNote(ticketId, body) {
      await need().engine.mutate('addComment', { commentId: crypto.randomUUID(), ticketId, kind: 'internal', body });
    },
    async createTicket({ subject, customerId }) {
      const s = need();
      const teamId = s.user.teams[0]?.id;
      if (!teamId) throw new Error('you are not in a team, so a ticket has no queue');
      const ticketId = crypto.randomUUID();
      await s.engine.mutate('createTicket', { ticketId, subject, customerId, teamId, channel: 'phone', assigneeId: s.user.id });
      // The number is the server's to allocate; until the push returns it the ticket has none.
      const number = (await s.tickets.get(ticketId))?.number ?? null;
      return { id: ticketId, number };
    },
  };
}
