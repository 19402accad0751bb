import type { StateCreator } from 'zustand';
import type { Channel } from '../../core/wire/chat';
import type { Locale } from '../../core/locale';
import type { InboxView } from '../services/db/chatRepo';
import type { AppState } from './appStore';


/** A chat offered to this agent: shown prominently until accepted, declined or expired. */
export type ChatOffer = { conversationId: string; customerName: string; channel: Channel; language: Locale; expiresAt: number };

/**
 * What the inbox shows, not the conversations: those live in Dexie (useLiveQuery). Offers and "is typing"
 * are here because they are ephemeral; the chat session feeds them from the realtime socket.
 */
export type InboxSlice = {
  inboxView: InboxView;
  selectedConversationId: string | null;
  chatOffers: ChatOffer[];
  /** conversationId → until when (epoch ms) the customer counts as typing (a lost "stopped" cannot stick). */
  customerTyping: Record<string, number>;
  /** Unread customer messages in my conversations (the nav badge). */
  inboxUnread: number;
  chatConnected: boolean;
  setInboxView(view: InboxView): void;
  selectConversation(id: string | null): void;
  addChatOffer(offer: ChatOffer): void;
  removeChatOffer(conversationId: string): void;
  setCustomerTyping(conversationId: string, until: number | null): void;
  setInboxUnread(count: number): void;
  setChatConnected(connected: boolean): void;
};

export const createInboxSlice = (): StateCreator<AppState, [], [], InboxSlice> => (set) => ({
  inboxView: 'mine',
  selectedConversationId: null,
  chatOffers: [],
  customerTyping: {},
  inboxUnread: 0,
  chatConnected: false,
  setInboxView: (inboxView) => set({ inboxView }),
  selectConversation: (selectedConversationId) => set({ selectedConversationId }),
  addChatOffer: (offer) =>
    set((s) => ({ chatOffers: [...s.chatOffers.filter((o) => o.conversationId !== offer.conversationId), offer].sort((a, b) => a.expiresAt - b.expiresAt) })),
  removeChatOffer: (conversationId) => set((s) => ({ chatOffers: s.chatOffers.filter((o) => o.conversationId !== conversationId) })),
  setCustomerTyping: (conversationId, until) =>
    set((s) => {
      const next = { ...s.customerTyping };
      if (until === null) delete next[conversationId];
      else next[conversationId] = until;
      return { customerTyping: next };
    }),
  setInboxUnread: (inboxUnread) => set((s) => (s.inboxUnread === inboxUnread ? s : { inboxUnread })),
  setChatConnected: (chatConnected) => set({ chatConnected }),
});
