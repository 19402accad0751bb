import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { TicketPriority, ticketStatuses, type TicketStatus } from '../../../core/tickets/model';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ticketViews } from '../../stores/ticketsSlice';
import { EmptyState, Page } from '../../ui/EmptyState';
import { TicketIcon } from '../../ui/icons';
import { isEditable } from '../shell/shortcuts';
import { FirstSyncProgress } from './FirstSyncProgress';
import type { TicketsServices } from '../../services/sync/syncPart';
import { RefusedNotice } from './RefusedNotice';
import { loadTicketList } from './ticketQueries';
import { TicketDetail } from './TicketDetail';
import { TicketList } from './TicketList';
import './tickets.css';

const pageSize = 200;

/** Re-renders every 30 s so "due in 5 min" and "overdue" move on their own. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function TicketsPage() {
  const t = useT();
  const services = useAppStore((s) => s.ticketsServices);
  const firstSync = useAppStore((s) => s.syncEngine?.firstSync ?? null);
  if (!services) {
    return (
      <Page title={t('tickets.title')}>
        <EmptyState icon={<TicketIcon size={28} />} title={t('tickets.empty.title')}>
          {t('tickets.empty.body')}
        </EmptyState>
      </Page>
    );
  }
  return <TicketsWorkspace services={services} firstSync={firstSync} />;
}

function TicketsWorkspace(props: { services: TicketsServices; firstSync: { received: number; estimatedTotal: number | null } | null }) {
  const { services } = props;
  const t = useT();
  const now = useNow();
  const locale = useAppStore((s) => s.locale);
  const loadTimers = useAppStore((s) => s.loadTicketTimers);
  const view = useAppStore((s) => s.ticketView);
  const sort = useAppStore((s) => s.ticketSort);
  const filters = useAppStore((s) => s.ticketFilters);
  const search = useAppStore((s) => s.ticketSearch);
  const selectedId = useAppStore((s) => s.selectedTicketId);
  const offline = useAppStore((s) => s.offline);
  const syncState = useAppStore((s) => s.sync.state);
  const { setTicketView, setTicketSort, setTicketFilter, setTicketSearch, selectTicket, leaveOffline } = useAppStore((s) => s);
  const [limit, setLimit] = useState(pageSize);
  const searchRef = useRef<HTMLInputElement>(null);

  const rows = useLiveQuery(
    () => loadTicketList(services.tickets, services.user, { view, sort, filters, search, limit }),
    [services, view, sort, filters, search, limit],
  );
  const pendingIds = useLiveQuery(async () => new Set((await services.outbox.listPending()).map((m) => m.ticketId).filter((id): id is string => id !== null)), [services]);
  const tags = useMemo(() => [...new Set((rows ?? []).flatMap((r) => r.tags))].sort(), [rows]);
  const needMore = useCallback(() => setLimit((l) => (rows && rows.length >= l ? l + pageSize : l)), [rows]);

  // `/` jumps to search from anywhere on the page, as in most web inboxes.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Page title={t('tickets.title')}>
      <div className="tickets">
        {offline && (
          <div className="tickets__banner" role="status" data-testid="offline-session">
            <span>{t('tickets.offline.banner', { name: services.user.displayName })}</span>
            <button type="button" className={syncState === 'offline' ? 'button' : 'button button--primary'} onClick={leaveOffline}>
              {t('tickets.offline.signIn')}
            </button>
          </div>
        )}
        {props.firstSync && <FirstSyncProgress progress={props.firstSync} t={t} />}
        <RefusedNotice services={services} t={t} onOpen={selectTicket} />
        <div className="tickets__split">
          <section className="tickets__list-pane" aria-label={t('tickets.list.label')}>
            <div className="tickets__toolbar">
              <div className="segmented" role="tablist" aria-label={t('tickets.view.label')}>
                {ticketViews.map((v) => (
                  <button
                    key={v}
                    type="button"
                    role="tab"
                    aria-selected={view === v && search === ''}
                    className={`segmented__item${view === v ? ' segmented__item--on' : ''}`}
                    onClick={() => {
                      setTicketView(v);
                      setLimit(pageSize);
                    }}
                  >
                    {t(`tickets.view.${v}`)}
                  </button>
                ))}
              </div>
              <input
                ref={searchRef}
                type="search"
                className="input tickets__search"
                aria-label={t('tickets.search.label')}
                placeholder={t('tickets.search.placeholder')}
                value={search}
                onChange={(e) => setTicketSearch(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setTicketSearch('');
                }}
                data-testid="ticket-search"
              />
              <div className="tickets__filters">
                <select className="select" aria-label={t('tickets.sort.label')} data-testid="ticket-sort" value={sort} onChange={(e) => setTicketSort(e.target.value === 'sla' ? 'sla' : 'updated')}>
                  <option value="updated">{t('tickets.sort.updated')}</option>
                  <option value="sla">{t('tickets.sort.sla')}</option>
                </select>
                <select
                  className="select"
                  aria-label={t('tickets.filter.status')}
                  data-testid="filter-status"
                  value={filters.status ?? ''}
                  onChange={(e) => setTicketFilter({ status: e.target.value === '' ? null : (e.target.value as TicketStatus) })}
                >
                  <option value="">{`${t('tickets.filter.status')}: ${t('tickets.filter.any')}`}</option>
                  {ticketStatuses.map((s) => (
                    <option key={s} value={s}>
                      {t(`tickets.status.${s}`)}
                    </option>
                  ))}
                </select>
                <select
                  className="select"
                  aria-label={t('tickets.filter.priority')}
                  data-testid="filter-priority"
                  value={filters.priority ?? ''}
                  onChange={(e) => {
                    const p = TicketPriority.safeParse(e.target.value);
                    setTicketFilter({ priority: p.success ? p.data : null });
                  }}
                >
                  <option value="">{`${t('tickets.filter.priority')}: ${t('tickets.filter.any')}`}</option>
                  {TicketPriority.options.map((p) => (
                    <option key={p} value={p}>
                      {t(`tickets.priority.${p}`)}
                    </option>
                  ))}
                </select>
                <select className="select" aria-label={t('tickets.filter.tag')} data-testid="filter-tag" value={filters.tag ?? ''} onChange={(e) => setTicketFilter({ tag: e.target.value === '' ? null : e.target.value })}>
                  <option value="">{`${t('tickets.filter.tag')}: ${t('tickets.filter.any')}`}</option>
                  {[...new Set([...tags, ...(filters.tag ? [filters.tag] : [])])].map((tag) => (
                    <option key={tag} value={tag}>
                      {tag}
                    </option>
                  ))}
                </select>
              </div>
              {rows && <span className="tickets__count">{t('tickets.list.count', { count: rows.length })}</span>}
            </div>
            <TicketList
              services={services}
              rows={rows}
              pendingIds={pendingIds ?? new Set()}
              selectedId={selectedId}
              locale={locale}
              now={now}
              t={t}
              onOpen={selectTicket}
              onNeedMore={needMore}
            />
          </section>
          <section className="tickets__detail-pane">
            {selectedId ? <TicketDetail key={selectedId} services={services} ticketId={selectedId} locale={locale} t={t} loadTimers={loadTimers} /> : <p className="tickets__hint">{t('tickets.detail.none')}</p>}
          </section>
        </div>
      </div>
    </Page>
  );
}
