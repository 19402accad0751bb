import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { Translate } from '../../i18n/i18n';
import type { PendingMutation } from '../../services/db/outboxRepo';
import type { TicketsServices } from '../../services/sync/syncPart';

/**
 * Changes the server refused for good, across all tickets. A refusal also shows on its ticket, but its
 * ticket may have left the agent's views (reassigned, another team) or never be opened again, and a
 * change that silently did not happen is the worst outcome offline work can have: so the Tickets page
 * says how many, lists them with the server's reason, and lets the agent dismiss each.
 */
export function RefusedNotice(props: { services: TicketsServices; t: Translate; onOpen(ticketId: string): void }) {
  const { services, t, onOpen } = props;
  const [open, setOpen] = useState(false);
  const failed = useLiveQuery(() => services.engine.listFailed(), [services]);
  if (!failed || failed.length === 0) return null;
  return (
    <section className="tickets__banner tickets__refused" role="alert" data-testid="refused-notice">
      <div className="tickets__refused-head">
        <span>{failed.length === 1 ? t('tickets.refused.one') : t('tickets.refused.many', { count: failed.length })}</span>
        <button type="button" className="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('tickets.refused.hide') : t('tickets.refused.review')}
        </button>
      </div>
      {open && (
        <ul className="tickets__refused-list">
          {failed.map((m) => (
            <RefusedItem key={m.id} m={m} services={services} t={t} onOpen={onOpen} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RefusedItem(props: { m: PendingMutation; services: TicketsServices; t: Translate; onOpen(ticketId: string): void }) {
  const { m, services, t, onOpen } = props;
  const ticket = useLiveQuery(async () => (m.ticketId ? ((await services.tickets.get(m.ticketId)) ?? null) : null), [services, m.ticketId]);
  const reason = m.error?.message ?? m.name;
  return (
    <li className="tickets__refused-item" data-testid="refused-item">
      <span>
        {ticket ? t('tickets.refused.onTicket', { number: ticket.number ?? '…', subject: ticket.subject }) : t('tickets.refused.noTicket')}
        {' — '}
        {reason}
      </span>
      <span className="tickets__refused-actions">
        {ticket && (
          <button type="button" className="button" onClick={() => onOpen(ticket.id)}>
            {t('tickets.refused.open')}
          </button>
        )}
        <button type="button" className="button" onClick={() => void services.engine.dismissFailed(m.id)}>
          {t('tickets.failed.dismiss')}
        </button>
      </span>
    </li>
  );
}
