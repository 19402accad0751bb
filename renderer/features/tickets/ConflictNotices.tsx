import { useLiveQuery } from 'dexie-react-hooks';
import type { Ticket } from '../../../core/tickets/model';
import type { Translate } from '../../i18n/i18n';
import type { ConflictRow } from '../../services/db/rows';
import { fieldLabelKey, fieldValueText } from './format';
import type { TicketsServices } from '../../services/sync/syncPart';
import { useTicketUpdate } from './TicketDetail';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A field the agent changed offline that someone else had changed meanwhile. The server kept the last
 * writer (usually the agent's queued change), so the notice offers both outcomes: keep theirs, or keep
 * (re-apply) mine. Choosing either writes a new mutation when the ticket does not already show that value.
 */
export function ConflictNotices(props: { services: TicketsServices; ticket: Ticket; t: Translate }) {
  const { services, ticket, t } = props;
  const conflicts = useLiveQuery(() => services.conflicts.forTicket(ticket.id), [services, ticket.id]);
  const { update } = useTicketUpdate(services, ticket);
  if (!conflicts || conflicts.length === 0) return null;

  const resolve = async (c: ConflictRow, value: unknown) => {
    if (!same(ticket[c.field], value)) await update(c.field, value);
    await services.conflicts.dismiss(c.id);
  };
  return (
    <>
      {conflicts.map((c) => {
        const mine = fieldValueText(t, c.field, c.mine, services.user);
        const theirs = fieldValueText(t, c.field, c.theirs, services.user);
        const mineShown = same(ticket[c.field], c.mine);
        return (
          <section key={c.id} className="conflict" role="alert" data-testid="conflict-notice" data-field={c.field}>
            <p className="conflict__title">{t('tickets.conflict.title', { field: t(fieldLabelKey[c.field]) })}</p>
            <p className="conflict__values">{t('tickets.conflict.values', { mine, theirs })}</p>
            <div className="conflict__actions">
              <button type="button" className="button" onClick={() => void resolve(c, c.theirs)}>
                {t('tickets.conflict.keepTheirs')}
              </button>
              <button type="button" className="button button--primary" onClick={() => void resolve(c, c.mine)}>
                {mineShown ? t('tickets.conflict.keepMine') : t('tickets.conflict.reapplyMine')}
              </button>
            </div>
          </section>
        );
      })}
    </>
  );
}
