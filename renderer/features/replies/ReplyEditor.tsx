import { useState } from 'react';
import { QuickReply, replyScope } from '../../../core/replies/model';
import { usedVariables } from '../../../core/replies/template';
import type { User } from '../../../core/wire/auth';
import type { Translate } from '../../i18n/i18n';

type Draft = { shortcut: string; title: string; category: string; en: string; zhCN: string; zhTW: string; teamId: string | null };

/** Create or edit a reply: personal for everyone; a lead may also save it for one of their teams. */
export function ReplyEditor(props: { reply: QuickReply | null; user: User; t: Translate; save(reply: QuickReply): Promise<void>; remove(reply: QuickReply): Promise<void>; cancel(): void }) {
  const { t, user } = props;
  const r = props.reply;
  const [draft, setDraft] = useState<Draft>({
    shortcut: r?.shortcut ?? '',
    title: r?.title ?? '',
    category: r?.category ?? '',
    en: r?.bodies.en ?? '',
    zhCN: r?.bodies['zh-CN'] ?? '',
    zhTW: r?.bodies['zh-TW'] ?? '',
    teamId: r?.teamId ?? null,
  });
  const [error, setError] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const isLead = user.role === 'lead' || user.role === 'admin';
  const field = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const unknown = [draft.en, draft.zhCN, draft.zhTW].flatMap((b) => usedVariables(b).unknown);

  async function submit() {
    // The server keeps a saved reply's owner (team or person), so an edit keeps it too.
    const teamId = r ? r.teamId : isLead ? draft.teamId : null;
    const ownerId = r ? r.ownerId : teamId === null ? user.id : null;
    const bodies = {
      ...(draft.en.trim() ? { en: draft.en } : {}),
      ...(draft.zhCN.trim() ? { 'zh-CN': draft.zhCN } : {}),
      ...(draft.zhTW.trim() ? { 'zh-TW': draft.zhTW } : {}),
    };
    const candidate = {
      id: r?.id ?? crypto.randomUUID(),
      scope: replyScope({ teamId, ownerId }),
      teamId,
      ownerId,
      category: draft.category.trim(),
      shortcut: draft.shortcut.trim().toLowerCase(),
      title: draft.title.trim(),
      bodies,
      useCount: r?.useCount ?? 0,
      updatedAt: Date.now(),
    };
    const parsed = QuickReply.safeParse(candidate);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'invalid');
      return;
    }
    await props.save(parsed.data);
  }

  return (
    <form
      className="reply-editor"
      data-testid="reply-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{r ? t('replies.edit') : t('replies.new')}</h2>
      <label>
        {t('replies.field.shortcut')}
        <input value={draft.shortcut} onChange={field('shortcut')} data-testid="reply-shortcut" maxLength={40} />
      </label>
      <label>
        {t('replies.field.title')}
        <input value={draft.title} onChange={field('title')} data-testid="reply-title" maxLength={120} />
      </label>
      <label>
        {t('replies.field.category')}
        <input value={draft.category} onChange={field('category')} data-testid="reply-category" maxLength={60} />
      </label>
      {isLead ? (
        <label>
          {t('replies.field.owner')}
          <select value={draft.teamId ?? ''} disabled={r !== null} title={r ? t('replies.teamOwnerFixed') : undefined} data-testid="reply-owner" onChange={(e) => setDraft((d) => ({ ...d, teamId: e.target.value === '' ? null : e.target.value }))}>
            <option value="">{t('replies.scope.personal')}</option>
            {user.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        English
        <textarea value={draft.en} onChange={field('en')} data-testid="reply-body-en" rows={3} />
      </label>
      <label>
        简体中文
        <textarea value={draft.zhCN} onChange={field('zhCN')} data-testid="reply-body-zh-CN" rows={3} />
      </label>
      <label>
        繁體中文
        <textarea value={draft.zhTW} onChange={field('zhTW')} data-testid="reply-body-zh-TW" rows={3} />
      </label>
      <p className="reply-editor__hint">{t('replies.variables')}</p>
      {unknown.length > 0 ? <p className="reply-editor__warn">{t('inbox.replies.unknown', { names: [...new Set(unknown)].join(', ') })}</p> : null}
      {error ? (
        <p className="reply-editor__error" role="alert">
          {error}
        </p>
      ) : null}
      {confirmingDelete && r ? (
        <div className="reply-editor__confirm" role="alert">
          <p>{t('replies.deleteConfirm')}</p>
          <div className="reply-editor__actions">
            <button type="button" className="button" onClick={() => setConfirmingDelete(false)}>
              {t('replies.cancel')}
            </button>
            <button type="button" className="button button--danger" data-testid="reply-delete-confirm" onClick={() => void props.remove(r)}>
              {t('replies.delete')}
            </button>
          </div>
        </div>
      ) : null}
      <div className="reply-editor__actions">
        {r && !confirmingDelete ? (
          <button type="button" className="button reply-editor__delete" data-testid="reply-delete" onClick={() => setConfirmingDelete(true)}>
            {t('replies.delete')}
          </button>
        ) : null}
        <button type="button" className="button" onClick={props.cancel}>
          {t('replies.cancel')}
        </button>
        <button type="submit" className="button button--primary" data-testid="reply-save">
          {t('replies.save')}
        </button>
      </div>
    </form>
  );
}
