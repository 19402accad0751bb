import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { ScreenPop } from '../../stores/phoneSlice';
import { CallButton } from './CallButton';
import { useOpenTicketFromCall } from './usePhone';

/** Who is calling, from the local cache (works offline): the customer and their open tickets, or "unknown". */
export function ScreenPopCard(props: { callId: string; pop: ScreenPop; linkedTicketId: string | undefined }) {
  const t = useT();
  const openTicket = useOpenTicketFromCall();
  const link = useAppStore((s) => s.linkCallTicket);
  const createTicket = useAppStore((s) => s.createTicketForCall);
  const { pop } = props;

  if (pop.status === 'looking') {
    return (
      <div className="screen-pop" data-testid="screen-pop" data-status="looking">
        <p className="screen-pop__hint">{t('phone.pop.looking')}</p>
      </div>
    );
  }
  if (pop.status === 'unknown') {
    return (
      <div className="screen-pop" data-testid="screen-pop" data-status="unknown">
        <p className="screen-pop__hint">{t('phone.pop.unknown')}</p>
        <button type="button" className="button" data-testid="pop-create-ticket" onClick={() => void createTicket(props.callId)}>
          {t('phone.pop.createTicket')}
        </button>
      </div>
    );
  }
  return (
    <div className="screen-pop" data-testid="screen-pop" data-status="found">
      <div className="screen-pop__customer" data-testid="pop-customer">
        {pop.customer.name}
        {pop.customer.phone && <span className="screen-pop__phone">{pop.customer.phone}</span>}
        {pop.customer.phone && <CallButton number={pop.customer.phone} className="button--small" />}
      </div>
      <h3 className="screen-pop__heading">{t('phone.pop.openTickets')}</h3>
      {pop.tickets.length === 0 ? (
        <p className="screen-pop__hint">{t('phone.pop.noOpenTickets')}</p>
      ) : (
        <ul className="screen-pop__tickets">
          {pop.tickets.map((ticket) => (
            <li key={ticket.id} className="screen-pop__ticket" data-linked={props.linkedTicketId === ticket.id}>
              <button type="button" className="linkish" data-testid="pop-open-ticket" onClick={() => openTicket(ticket.id)} aria-label={t('phone.pop.openTicket', { number: ticket.number ?? '—' })}>
                #{ticket.number ?? '—'} {ticket.subject}
              </button>
              {props.linkedTicketId === ticket.id ? (
                <span className="screen-pop__linked">{t('phone.pop.linked')}</span>
              ) : (
                <button type="button" className="button button--quiet button--small" onClick={() => link(props.callId, ticket.id)}>
                  {t('phone.pop.link')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button button--quiet" data-testid="pop-create-ticket" onClick={() => void createTicket(props.callId)}>
        {t('phone.pop.createTicket')}
      </button>
    </div>
  );
}
