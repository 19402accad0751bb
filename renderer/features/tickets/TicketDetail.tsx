import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Locale } from '../../../core/locale';
import { TicketPriority, ticketStatuses, type EditableField, type Ticket } from '../../../core/tickets/model';
import type { Translate } from '../../i18n/i18n';
import { CommentThread } from './CommentThread';
import { Composer } from './Composer';
import { CallButton } from '../phone/CallButton';
import { ConflictNotices } from './ConflictNotices';
import { dateTime } from './format';
import type { TicketsServices } from '../../services/sync/syncPart';
import './ticketDetail.css';
import { showName } from '../../../core/chat/safeText';
import { TextFlag } from '../../ui/ShownName';
import type { TicketTimers as Timers } from '../../../core/wire/sla';
import { TicketTimers } from '../sla/TicketTimers';

const priorities = TicketPriority.options;

/** The one way the detail view changes a ticket: a new mutation with the value the agent saw as its base. */
export function useTicketUpdate(services: TicketsServices, ticket: Ticket | undefined) {
  const [error, setError] = useState<string | null>(null);
  const update = async (field: EditableField, value: unknown) => {
    if (!ticket) return;
    setError(null);
    try {
      await services.engine.mutate('updateTicket', { ticketId: ticket.id, changes: { [field]: value }, base: { [field]: ticket[field] } });
    } catch (err) {
      // Refused locally (invalid, closed, outside the queue): nothing was queued, so say so here.
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return { update, error, setError };
}

/** `loadTimers`: the ticket's SLA timers from the server (omitted in tests that do not need them). */
export function TicketDetail(props: { services: TicketsServices; ticketId: string; locale: Locale; t: Translate; loadTimers?: (ticketId: string) => Promise<Timers> }) {
  const { services, ticketId, t, locale } = props;
  const ticket = useLiveQuery(() => services.tickets.get(ticketId), [services, ticketId]);
  const customer = useLiveQuery(() => (ticket?.customerId ? services.tickets.customer(ticket.customerId) : undefined), [services, ticket?.customerId]);
  const failed = useLiveQuery(() => services.outbox.failedForTicket(ticketId), [services, ticketId]);
  const { update, error } = useTicketUpdate(services, ticket);

  if (ticket === undefined) {
    return <p className="tickets__hint">{t('tickets.detail.notFound')}</p>;
  }
  const me = services.user;
  const customerName = showName(customer?.name);
  return (
    <article className="ticket-detail" aria-labelledby="ticket-detail-title" data-testid="ticket-detail" data-ticket-id={ticket.id}>
      <header className="ticket-detail__header">
        <span className="ticket-detail__number">{ticket.number === null ? t('tickets.row.noNumber') : `#${ticket.number}`}</span>
        <SubjectEditor key={`${ticket.id}:${ticket.subject}`} subject={ticket.subject} t={t} onSave={(s) => void update('subject', s)} />
        <p className="ticket-detail__sub">
          <span data-testid="ticket-customer">
            {t('tickets.detail.customer', { name: customerName.text || t('tickets.row.noCustomer') })}
            {customerName.flagged ? <TextFlag label={t('text.flag.hidden')} /> : null}
          </span>
          {/* Click-to-dial: the call is linked to this ticket, so its wrap-up note lands here. */}
          {customer?.phone ? (
            <>
              {' · '}
              <CallButton number={customer.phone} ticketId={ticket.id} className="button--small" />
            </>
          ) : null}
          {' · '}
          {t('tickets.detail.created', { time: dateTime(locale, ticket.createdAt) })}
        </p>
      </header>
      {props.loadTimers ? <TicketTimers ticketId={ticket.id} version={ticket.version} locale={locale} t={t} load={props.loadTimers} /> : null}

      {failed?.map((m) => (
        <div key={m.id} className="alert ticket-detail__notice" role="alert" data-testid="mutation-failed">
          <span>{t('tickets.failed.title', { message: m.error?.message ?? m.name })}</span>
          <button type="button" className="button button--quiet" onClick={() => void services.engine.dismissFailed(m.id)}>
            {t('tickets.failed.dismiss')}
          </button>
        </div>
      ))}
      {error && (
        <p className="alert ticket-detail__notice" role="alert" data-testid="mutation-error">
          {t('tickets.error.local', { message: error })}
        </p>
      )}
      <ConflictNotices services={services} ticket={ticket} t={t} />

      <div className="ticket-detail__fields">
        <label className="field">
          <span className="field__label">{t('tickets.detail.status')}</span>
          <select className="select" value={ticket.status} onChange={(e) => void update('status', e.target.value)} data-testid="field-status">
            {ticketStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`tickets.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('tickets.detail.priority')}</span>
          <select className="select" value={ticket.priority} onChange={(e) => void update('priority', e.target.value)} data-testid="field-priority">
            {priorities.map((p) => (
              <option key={p} value={p}>
                {t(`tickets.priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('tickets.detail.assignee')}</span>
          <select
            className="select"
            value={ticket.assigneeId ?? ''}
            onChange={(e) => void update('assigneeId', e.target.value === '' ? null : e.target.value)}
            data-testid="field-assignee"
          >
            <option value={me.id}>{t('tickets.assignee.me', { name: me.displayName })}</option>
            <option value="">{t('tickets.assignee.none')}</option>
            {ticket.assigneeId !== null && ticket.assigneeId !== me.id && (
              <option value={ticket.assigneeId} disabled>
                {t('tickets.assignee.other')}
              </option>
            )}
          </select>
        </label>
        <TagEditor tags={ticket.tags} t={t} onChange={(tags) => void update('tags', tags)} />
      </div>

      <CommentThread services={services} ticketId={ticket.id} locale={locale} t={t} />
      <Composer key={ticket.id} services={services} ticketId={ticket.id} t={t} />
    </article>
  );
}

/**
 * Saved on Enter or when focus leaves; Escape puts the stored subject back. Enter then blur is one
 * save: `stored` is what was last saved, since the ticket's own subject arrives a moment later (the
 * cache write and the live query), and comparing with it would save the same edit twice.
 */
function SubjectEditor(props: { subject: string; t: Translate; onSave(subject: string): void }) {
  const [value, setValue] = useState(props.subject);
  const stored = useRef(props.subject);
  useEffect(() => {
    stored.current = props.subject;
  }, [props.subject]);
  const commit = () => {
    const next = value.trim();
    if (next === '') setValue(stored.current);
    else if (next !== stored.current) {
      stored.current = next;
      props.onSave(next);
    }
  };
  return (
    <form
      className="ticket-detail__subject-form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        commit();
      }}
    >
      <label className="visually-hidden" htmlFor="ticket-subject">
        {props.t('tickets.detail.subject')}
      </label>
      <h2 id="ticket-detail-title" className="visually-hidden">
        {props.subject}
      </h2>
      <input
        id="ticket-subject"
        className="input ticket-detail__subject"
        value={value}
        maxLength={300}
        onChange={(e) => setValue(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setValue(stored.current);
        }}
        data-testid="field-subject"
      />
    </form>
  );
}

function TagEditor(props: { tags: readonly string[]; t: Translate; onChange(tags: string[]): void }) {
  const { t, tags } = props;
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim();
    setDraft('');
    if (tag !== '' && !tags.includes(tag)) props.onChange([...tags, tag]);
  };
  return (
    <div className="field ticket-detail__tags">
      <span className="field__label">{t('tickets.detail.tags')}</span>
      <div className="tag-editor">
        {tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
            <button type="button" className="tag__remove" aria-label={t('tickets.detail.removeTag', { tag })} onClick={() => props.onChange(tags.filter((x) => x !== tag))}>
              ×
            </button>
          </span>
        ))}
        <input
          className="tag-editor__input"
          aria-label={t('tickets.detail.addTag')}
          placeholder={t('tickets.detail.addTag')}
          value={draft}
          maxLength={40}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ',') {
              e.preventDefault();
              add();
            }
          }}
          onBlur={add}
        />
      </div>
    </div>
  );
}
