import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { searchReplies } from '../../../core/replies/search';
import { templateVariables } from '../../../core/replies/template';
import type { Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import type { ReplyChange } from '../../services/db/repliesRepo';
import { useAppStore } from '../../stores/appStore';
import { EmptyState, Page } from '../../ui/EmptyState';
import { RepliesIcon } from '../../ui/icons';
import { ReplyEditor } from './ReplyEditor';
import { useReplyLibrary } from './useReplyIndex';
import './replies.css';

const scopes = ['global', 'team', 'personal'] as const;

/**
 * The quick-reply library: browse, search, filter by category and scope. Personal replies (leads: their
 * teams' too) are created, edited and deleted here, offline too: a change shows at once, marked as waiting
 * until the server has it, and a change the server refuses stays marked with its reason until discarded.
 */
export function RepliesPage() {
  const t = useT();
  const chat = useAppStore((s) => s.chat);
  const locale = useAppStore((s) => s.locale);
  const query = useAppStore((s) => s.repliesQuery);
  const category = useAppStore((s) => s.repliesCategory);
  const scope = useAppStore((s) => s.repliesScope);
  const editing = useAppStore((s) => s.editingReplyId);
  const { setRepliesQuery, setRepliesCategory, setRepliesScope, editReply } = useAppStore((s) => s);
  const { list, index } = useReplyLibrary(chat?.replies ?? null);
  const changes = useLiveQuery(() => (chat ? chat.replies.changes() : Promise.resolve([])), [chat]);
  const changeOf = useMemo(() => new Map((changes ?? []).map((c) => [c.id, c])), [changes]);

  const categories = useMemo(() => [...new Set((list ?? []).map((r) => r.category))].sort((a, b) => a.localeCompare(b, locale)), [list, locale]);
  const shown = useMemo(() => {
    if (!list || !index) return [];
    const base = query.trim() ? searchReplies(index, query, { language: locale, limit: 500 }).map((h) => h.reply) : [...list].sort((a, b) => b.useCount - a.useCount);
    return base.filter((r) => (category === null || r.category === category) && (scope === null || r.scope === scope));
  }, [list, index, query, category, scope, locale]);

  if (!chat) {
    return (
      <Page title={t('replies.title')}>
        <EmptyState icon={<RepliesIcon size={28} />} title={t('replies.empty.title')}>
          {t('replies.empty.body')}
        </EmptyState>
      </Page>
    );
  }
  const user = chat.user;
  const canEdit = (r: { scope: string; ownerId: string | null; teamId: string | null }) =>
    r.ownerId === user.id || (r.scope === 'team' && (user.role === 'lead' || user.role === 'admin') && user.teams.some((tm) => tm.id === r.teamId));
  const editingReply = editing && editing !== 'new' ? (list ?? []).find((r) => r.id === editing) ?? null : null;

  return (
    <Page
      title={t('replies.title')}
      actions={
        <button type="button" className="button button--primary" data-testid="reply-new" onClick={() => editReply('new')}>
          {t('replies.new')}
        </button>
      }
    >
      <div className="replies" data-testid="replies-page">
        <div className="replies__filters">
          <input type="search" className="replies__search" placeholder={t('replies.search')} aria-label={t('replies.search')} value={query} onChange={(e) => setRepliesQuery(e.target.value)} data-testid="replies-search" />
          <select aria-label={t('replies.category')} value={category ?? ''} onChange={(e) => setRepliesCategory(e.target.value || null)}>
            <option value="">{t('replies.category.all')}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <select aria-label={t('replies.scope')} value={scope ?? ''} onChange={(e) => setRepliesScope(e.target.value === '' ? null : (e.target.value as (typeof scopes)[number]))}>
            <option value="">{t('replies.scope.all')}</option>
            {scopes.map((s) => (
              <option key={s} value={s}>
                {t(`replies.scope.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="replies__body">
          {shown.length === 0 ? (
            <p className="replies__none">{list && list.length === 0 ? t('replies.empty.body') : t('replies.noMatch')}</p>
          ) : (
            <ul className="replies__list" data-testid="replies-list">
              {shown.map((r) => (
                <li key={r.id} className="reply-card" data-testid="reply-card" data-shortcut={r.shortcut}>
                  <div className="reply-card__head">
                    <span className="reply-card__shortcut">/{r.shortcut}</span>
                    <span className="reply-card__title">{r.title}</span>
                    <span className="reply-card__tag">{r.category}</span>
                    <span className="reply-card__tag">{t(`replies.scope.${r.scope}`)}</span>
                    <span className="reply-card__uses">{t('replies.uses', { count: r.useCount })}</span>
                    {canEdit(r) ? (
                      <button type="button" className="link-button" data-testid="reply-edit" onClick={() => editReply(r.id)}>
                        {t('replies.edit')}
                      </button>
                    ) : null}
                  </div>
                  <ChangeStatus change={changeOf.get(r.id)} t={t} discard={(id) => void chat.replies.discard(id)} />
                  <p className="reply-card__body">{r.bodies[locale] ?? r.bodies.en ?? r.bodies['zh-CN'] ?? r.bodies['zh-TW']}</p>
                </li>
              ))}
            </ul>
          )}
          {editing ? (
            <ReplyEditor
              key={editing}
              reply={editingReply}
              user={user}
              t={t}
              cancel={() => editReply(null)}
              save={async (reply) => {
                await chat.replies.save(reply);
                editReply(null);
                void chat.service.sendReplyChanges();
              }}
              remove={async (reply) => {
                await chat.replies.remove(reply);
                editReply(null);
                void chat.service.sendReplyChanges();
              }}
            />
          ) : (
            <aside className="replies__help">
              <h3>{t('replies.variablesTitle')}</h3>
              <ul>
                {templateVariables.map((v) => (
                  <li key={v}>
                    <code>{`{{${v}}}`}</code>
                  </li>
                ))}
              </ul>
            </aside>
          )}
        </div>
      </div>
    </Page>
  );
}

/** "Waiting to be sent" or the server's refusal for a reply changed on this computer. */
function ChangeStatus(props: { change: ReplyChange | undefined; t: Translate; discard(id: string): void }) {
  const { change, t } = props;
  if (!change) return null;
  if (change.status === 'pending') {
    return (
      <p className="reply-card__status" title={t('replies.pendingHint')} data-testid="reply-pending">
        {t('replies.pending')}
      </p>
    );
  }
  return (
    <p className="reply-card__status reply-card__status--failed" role="alert" data-testid="reply-failed">
      {t('replies.failed', { reason: change.error ?? '' })}{' '}
      <button type="button" className="link-button" onClick={() => props.discard(change.id)}>
        {t('replies.discard')}
      </button>
    </p>
  );
}
