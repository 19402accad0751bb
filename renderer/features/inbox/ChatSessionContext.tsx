import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ChatServices, ChatSession } from './chatSession';

const ChatSessionContext = createContext<ChatSession | null>(null);
const noSession: Pick<ChatSession, 'getSnapshot' | 'subscribe'> = { getSnapshot: () => null, subscribe: () => () => {} };

export function ChatSessionProvider(props: { session: ChatSession; children: ReactNode }) {
  return <ChatSessionContext.Provider value={props.session}>{props.children}</ChatSessionContext.Provider>;
}

/** The signed-in user's chat services; null while signed out (or without a provider in component tests). */
export function useChat(): ChatServices | null {
  const session = useContext(ChatSessionContext) ?? noSession;
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
