import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import { useT } from '../../i18n/useT';
import type { InboxView } from '../../services/db/chatRepo';
import { useAppStore } from '../../stores/appStore';
import { EmptyState, Page } from '../../ui/EmptyState';
import { InboxIcon } from '../../ui/icons';
import { useReplyLibrary } from '../replies/useReplyIndex';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import './inbox.css';

const views: readonly InboxView[] = ['mine', 'offers', 'queue', 'closed'];

/** Re-renders every second while mounted, so waiting times and SLA timers move. */
function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

export function InboxPage() {
  const t = useT();
  const chat = useAppStore((s) => s.chat);
  const locale = useAppStore((s) => s.locale);
  const view = useAppStore((s) => s.inboxView);
  const setView = useAppStore((s) => s.setInboxView);
  const loadMood = useAppStore((s) => s.loadConversationMood);
  const flagAbusive = useAppStore((s) => s.flagAbusive);
  const mood = useMemo(() => ({ load: loadMood, flag: flagAbusive }), [loadMood, flagAbusive]);
  const selectedId = useAppStore((s) => s.selectedConversationId);
  const select = useAppStore((s) => s.selectConversation);
  const typingUntil = useAppStore((s) => (selectedId ? s.customerTyping[selectedId] : undefined));
  const connected = useAppStore((s) => s.chatConnected);
  const goTo = useAppStore((s) => s.goTo);
  const selectTicket = useAppStore((s) => s.selectTicket);
  const now = useNow();
  const userId = chat?.user.id ?? '';
  const rows = useLiveQuery(() => (chat ? chat.repo.list(view, userId) : Promise.resolve([])), [chat, view, userId]);
  const counts = useLiveQuery(() => (chat ? chat.repo.counts(userId) : Promise.resolve(null)), [chat, userId]);
  const { index } = useReplyLibrary(chat?.replies ?? null);

  if (!chat) {
    return (
      <Page title={t('inbox.title')}>
        <EmptyState icon={<InboxIcon size={28} />} title={t('inbox.empty.title')}>
          {t('inbox.empty.body')}
        </EmptyState>
      </Page>
    );
  }

  return (
    <div className="inbox" data-testid="inbox">
      <div className="inbox__side">
        <div className="inbox__head">
          <h1 className="inbox__title">{t('inbox.title')}</h1>
          <span className={connected ? 'inbox__live inbox__live--on' : 'inbox__live'} data-testid="chat-connection" data-connected={connected}>
            {connected ? t('inbox.live') : chat.offline ? t('inbox.offlineSession') : t('inbox.reconnecting')}
          </span>
        </div>
        <div className="inbox__views" role="tablist" aria-label={t('inbox.views')}>
          {views.map((v) => (
            <button key={v} type="button" role="tab" aria-selected={v === view} className={v === view ? 'inbox__view inbox__view--active' : 'inbox__view'} data-testid={`inbox-view-${v}`} onClick={() => setView(v)}>
              {t(`inbox.view.${v}`)}
              {counts && counts[v] > 0 ? <span className="inbox__count">{counts[v]}</span> : null}
            </button>
          ))}
        </div>
        {rows && rows.length > 0 ? (
          <ConversationList rows={rows} selectedId={selectedId} now={now} locale={locale} t={t} onOpen={select} />
        ) : (
          <p className="inbox__none" data-testid="inbox-empty">
            {rows ? t(`inbox.none.${view}`) : t('inbox.loading')}
          </p>
        )}
      </div>
      <div className="inbox__main">
        {selectedId ? (
          <ConversationView
            key={selectedId}
            chat={chat}
            conversationId={selectedId}
            index={index}
            customerTyping={typingUntil !== undefined && typingUntil > now}
            locale={locale}
            t={t}
            onOpenTicket={(ticketId) => {
              selectTicket(ticketId);
              goTo('tickets');
            }}
            onOpenConversation={select}
            mood={mood}
          />
        ) : (
          <EmptyState icon={<InboxIcon size={28} />} title={t('inbox.pick.title')}>
            {t('inbox.pick.body')}
          </EmptyState>
        )}
      </div>
    </div>
  );
}
