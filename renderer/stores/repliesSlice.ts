import type { StateCreator } from 'zustand';
import type { QuickReplyScope } from '../../core/replies/model';
import type { AppState } from './appStore';

/** The Replies page's view state; the replies themselves are in Dexie. */
export type RepliesSlice = {
  repliesQuery: string;
  /** null: every category. */
  repliesCategory: string | null;
  repliesScope: QuickReplyScope | null;
  /** The reply open in the editor; 'new' for a new one. */
  editingReplyId: string | null;
  setRepliesQuery(query: string): void;
  setRepliesCategory(category: string | null): void;
  setRepliesScope(scope: QuickReplyScope | null): void;
  editReply(id: string | null): void;
};

export const createRepliesSlice = (): StateCreator<AppState, [], [], RepliesSlice> => (set) => ({
  repliesQuery: '',
  repliesCategory: null,
  repliesScope: null,
  editingReplyId: null,
  setRepliesQuery: (repliesQuery) => set({ repliesQuery }),
  setRepliesCategory: (repliesCategory) => set({ repliesCategory }),
  setRepliesScope: (repliesScope) => set({ repliesScope }),
  editReply: (editingReplyId) => set({ editingReplyId }),
});
