import { useVirtualizer } from '@tanstack/react-virtual';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Locale } from '../../../core/locale';
import type { Translate } from '../../i18n/i18n';
import type { CachedTicket } from '../../services/db/rows';
import { relativeTime, slaInfo } from './format';
import type { TicketsServices } from '../../services/sync/syncPart';
import { ShownName } from '../../ui/ShownName';

const rowHeight = 64;
const pageSize = 200;

export type TicketListProps = {
  services: TicketsServices;
  rows: CachedTicket[] | undefined;
  /** Ticket ids with local changes the server has not confirmed. */
  pendingIds: ReadonlySet<string>;
  selectedId: string | null;
  locale: Locale;
  now: number;
  t: Translate;
  onOpen(id: string): void;
  /** The list scrolled near its end: load another page. */
  onNeedMore(): void;
};

/**
 * A listbox over a virtual window of rows (only what is on screen is in the DOM, so 100k cached tickets
 * scroll like 50). Up/Down move the active row, Enter opens it; focus stays on the list itself and
 * aria-activedescendant tells screen readers which row is active.
 */
export function TicketList(props: TicketListProps) {
  const { rows, t } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const count = rows?.length ?? 0;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);

  useEffect(() => {
    if (last && count >= pageSize && last.index >= count - 20) props.onNeedMore();
  }, [last, count, props]);

  const activeIndex = Math.min(active, Math.max(count - 1, 0));
  const onKeyDown = (e: KeyboardEvent) => {
    if (!rows || count === 0) return;
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(activeIndex + 1, count - 1);
    else if (e.key === 'ArrowUp') next = Math.max(activeIndex - 1, 0);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Enter') {
      const row = rows[activeIndex];
      if (row) props.onOpen(row.id);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  if (rows === undefined) return <p className="tickets__hint">{t('tickets.list.loading')}</p>;
  const activeRow = rows[activeIndex];
  return (
    <div
      ref={scrollRef}
      className="ticket-list"
      role="listbox"
      tabIndex={0}
      aria-label={t('tickets.list.label')}
      aria-activedescendant={activeRow ? `ticket-row-${activeRow.id}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="ticket-list"
    >
      {count === 0 && <p className="tickets__hint">{t('tickets.list.empty')}</p>}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <TicketRow
              key={row.id}
              services={props.services}
              ticket={row}
              top={item.start}
              active={item.index === activeIndex}
              selected={row.id === props.selectedId}
              pending={props.pendingIds.has(row.id)}
              locale={props.locale}
              now={props.now}
              t={t}
              onClick={() => {
                setActive(item.index);
                props.onOpen(row.id);
              }}
            />
          );
        })}
      </div>
    </div>
  );
}

function TicketRow(props: {
  services: TicketsServices;
  ticket: CachedTicket;
  top: number;
  active: boolean;
  selected: boolean;
  pending: boolean;
  locale: Locale;
  now: number;
  t: Translate;
  onClick(): void;
}) {
  const { ticket, t, services } = props;
  // Per visible row only (the window is ~15 rows), so conflict and customer lookups stay index gets.
  const customer = useLiveQuery(() => (ticket.customerId ? services.tickets.customer(ticket.customerId) : undefined), [services, ticket.customerId]);
  const conflicts = useLiveQuery(() => services.conflicts.forTicket(ticket.id), [services, ticket.id]);
  const sla = slaInfo(t, props.locale, ticket.slaDue, props.now);
  const classes = ['ticket-row', props.active && 'ticket-row--active', props.selected && 'ticket-row--selected'].filter(Boolean).join(' ');
  return (
    <div
      id={`ticket-row-${ticket.id}`}
      className={classes}
      role="option"
      aria-selected={props.selected}
      style={{ transform: `translateY(${props.top}px)`, height: rowHeight }}
      onClick={props.onClick}
      data-testid="ticket-row"
      data-ticket-id={ticket.id}
      data-number={ticket.number ?? ''}
    >
      <div className="ticket-row__line">
        <span className="ticket-row__number">{ticket.number === null ? t('tickets.row.noNumber') : `#${ticket.number}`}</span>
        <span className="ticket-row__subject">{ticket.subject}</span>
        {props.pending && (
          <span className="ticket-row__marker ticket-row__marker--pending" title={t('tickets.row.pending')} data-testid="row-pending">
            {t('tickets.row.pending')}
          </span>
        )}
        {conflicts && conflicts.length > 0 && (
          <span className="ticket-row__marker ticket-row__marker--conflict" title={t('tickets.row.conflict')} data-testid="row-conflict">
            !
          </span>
        )}
        <span className="ticket-row__updated">{relativeTime(props.locale, ticket.updatedAt, props.now)}</span>
      </div>
      <div className="ticket-row__line ticket-row__meta">
        <ShownName className="ticket-row__customer" text={customer?.name} fallback={ticket.customerId ? '…' : t('tickets.row.noCustomer')} flagLabel={t('text.flag.hidden')} />
        <span className={`pill pill--${ticket.status}`}>{t(`tickets.status.${ticket.status}`)}</span>
        <span className={`priority priority--${ticket.priority}`}>{t(`tickets.priority.${ticket.priority}`)}</span>
        <span className={sla?.overdue ? 'ticket-row__sla ticket-row__sla--overdue' : 'ticket-row__sla'}>{sla ? sla.text : t('tickets.sla.none')}</span>
      </div>
    </div>
  );
}
