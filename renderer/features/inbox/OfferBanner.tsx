import { useEffect, useState } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ChannelIcon } from './ConversationList';
import { showName } from '../../../core/chat/safeText';

/** With a busy queue, the first few offers (oldest first) and a count: the page below keeps its room. */
const maxShown = 3;

/** Incoming chat offers, on every page, until accepted, declined or expired. */
export function OfferBanner() {
  const t = useT();
  const chat = useAppStore((s) => s.chat);
  const offers = useAppStore((s) => s.chatOffers);
  const removeChatOffer = useAppStore((s) => s.removeChatOffer);
  const goTo = useAppStore((s) => s.goTo);
  const selectConversation = useAppStore((s) => s.selectConversation);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    if (offers.length === 0) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [offers.length]);
  useEffect(() => {
    for (const o of offers) if (o.expiresAt <= now) removeChatOffer(o.conversationId);
  }, [offers, now, removeChatOffer]);

  if (!chat || offers.length === 0) return null;
  const act = async (id: string, accept: boolean) => {
    setBusy(id);
    try {
      if (accept) {
        await chat.service.accept(id);
        selectConversation(id);
        goTo('inbox');
      } else await chat.service.decline(id);
    } catch {
      // Taken by someone else or expired: the offer is gone either way.
      removeChatOffer(id);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="offer-banner" role="alert" data-testid="chat-offer">
      {offers.slice(0, maxShown).map((o) => (
        <div key={o.conversationId} className="offer-banner__item" data-conversation={o.conversationId}>
          <span className="offer-banner__glyph" aria-hidden="true">
            <ChannelIcon channel={o.channel} size={22} />
          </span>
          <span className="offer-banner__text">
            {t('inbox.offer.title', { name: showName(o.customerName).text || t('inbox.customer.anonymous') })}
            <span className="offer-banner__meta">
              {o.language} · {t('inbox.offer.expires', { seconds: Math.max(0, Math.ceil((o.expiresAt - now) / 1000)) })}
            </span>
          </span>
          <button type="button" className="button button--primary" data-testid="offer-accept" disabled={busy !== null} onClick={() => void act(o.conversationId, true)}>
            {t('inbox.offer.accept')}
          </button>
          <button type="button" className="button" data-testid="offer-decline" disabled={busy !== null} onClick={() => void act(o.conversationId, false)}>
            {t('inbox.offer.decline')}
          </button>
        </div>
      ))}
      {offers.length > maxShown && (
        <span className="offer-banner__more" data-testid="offer-more">
          {t('inbox.offer.more', { count: offers.length - maxShown })}
        </span>
      )}
    </div>
  );
}
