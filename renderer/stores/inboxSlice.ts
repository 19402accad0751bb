import type { StateCreator } from 'zustand';
import type { ChatOffer, ChatServices } from '../services/chat/chatPart';
import type { InboxView } from '../services/db/chatRepo';
import type { AppState } from './appStore';


export type { ChatOffer };

/**
 * What the inbox shows, not the conversations: those live in Dexie (useLiveQuery). Offers and "is typing"
 * are here because they are ephemeral; the chat part (services/chat/chatPart.ts) feeds them from the realtime
 * socket. The unread badge is not here: it is a live query over the cache (features/shell/Shell.tsx).
 */
export type InboxSlice = {
  /** The signed-in user's chat services; null while signed out. */
  chat: ChatServices | null;
  setChatServices(chat: ChatServices | null): void;
  inboxView: InboxView;
  selectedConversationId: string | null;
  chatOffers: ChatOffer[];
  /** conversationId → until when (epoch ms) the customer counts as typing (a lost "stopped" cannot stick). */
  customerTyping: Record<string, number>;
  chatConnected: boolean;
  setInboxView(view: InboxView): void;
  selectConversation(id: string | null): void;
  addChatOffer(offer: ChatOffer): void;
  removeChatOffer(conversationId: string): void;
  setCustomerTyping(conversationId: string, until: number | null): void;
  setChatConnected(connected: boolean): void;
};

export const createInboxSlice = (): StateCreator<AppState, [], [], InboxSlice> => (set) => ({
  chat: null,
  setChatServices: (chat) => set({ chat }),
  inboxView: 'mine',
  selectedConversationId: null,
  chatOffers: [],
  customerTyping: {},
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
  setChatConnected: (chatConnected) => set({ chatConnected }),
});
