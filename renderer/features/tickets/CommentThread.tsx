import { useLiveQuery } from 'dexie-react-hooks';
import type { Locale } from '../../../core/locale';
import type { Translate } from '../../i18n/i18n';
import { dateTime } from './format';
import type { TicketsServices } from '../../services/sync/syncPart';

/**
 * The conversation, oldest first. Bodies are customer-controlled text: rendered as React text children
 * only (escaped), never as HTML. A comment whose addComment mutation is still in the outbox is marked.
 */
export function CommentThread(props: { services: TicketsServices; ticketId: string; locale: Locale; t: Translate }) {
  const { services, ticketId, t } = props;
  const comments = useLiveQuery(() => services.comments.forTicket(ticketId), [services, ticketId]);
  const pendingIds = useLiveQuery(async () => {
    const pending = await services.outbox.listPending();
    return new Set(pending.filter((m) => m.name === 'addComment' && m.ticketId === ticketId).map((m) => String(m.args.commentId)));
  }, [services, ticketId]);

  if (!comments) return null;
  return (
    <section className="thread" aria-label={t('tickets.comments.label')} data-testid="comment-thread">
      {comments.length === 0 && <p className="tickets__hint">{t('tickets.comments.empty')}</p>}
      <ol className="thread__list">
        {comments.map((c) => {
          const pending = pendingIds?.has(c.id) ?? false;
          const author = c.authorId === null ? t('tickets.comments.customer') : c.authorId === services.user.id ? t('tickets.comments.you') : t('tickets.comments.teammate');
          return (
            <li key={c.id} className={`comment comment--${c.kind}${c.authorId === null ? ' comment--customer' : ''}${pending ? ' comment--pending' : ''}`} data-testid="comment" data-kind={c.kind} data-pending={pending}>
              <div className="comment__meta">
                <span className="comment__author">{author}</span>
                <span className="comment__kind">{c.kind === 'internal' ? t('tickets.comments.internal') : t('tickets.comments.public')}</span>
                <time className="comment__time" dateTime={new Date(c.createdAt).toISOString()}>
                  {dateTime(props.locale, c.createdAt)}
                </time>
                {pending && <span className="comment__pending">{t('tickets.comments.pending')}</span>}
              </div>
              <p className="comment__body">{c.body}</p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
