import type { StateCreator } from 'zustand';
import type { ReviewRecord, ReviewSearchQuery, ReviewSearchResult } from '../../core/wire/review';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

export type ReviewSlice = {
  reviewSearch: { status: 'idle' | 'loading' } | { status: 'loaded'; query: ReviewSearchQuery; result: ReviewSearchResult } | { status: 'error'; message: string };
  reviewRecord: { status: 'idle' | 'loading' } | { status: 'loaded'; record: ReviewRecord } | { status: 'error'; message: string };
  searchReviews(query: ReviewSearchQuery, more?: boolean): Promise<void>;
  openReview(id: string): Promise<void>;
  closeReview(): void;
};

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const createReviewSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], ReviewSlice> =>
  (set, get) => ({
    reviewSearch: { status: 'idle' },
    reviewRecord: { status: 'idle' },
    async searchReviews(query, more = false) {
      if (!deps.review) return set({ reviewSearch: { status: 'error', message: 'Review is not available in this build.' } });
      const before = get().reviewSearch;
      set({ reviewSearch: { status: 'loading' } });
      try {
        const result = await deps.review.search(query);
        // "More" appends the next keyset page to what is on screen.
        const hits = more && before.status === 'loaded' ? [...before.result.hits, ...result.hits] : result.hits;
        set({ reviewSearch: { status: 'loaded', query, result: { ...result, hits } } });
      } catch (err) {
        set({ reviewSearch: { status: 'error', message: messageOf(err) } });
      }
    },
    async openReview(id) {
      if (!deps.review) return;
      set({ reviewRecord: { status: 'loading' } });
      try {
        set({ reviewRecord: { status: 'loaded', record: await deps.review.record(id) } });
      } catch (err) {
        set({ reviewRecord: { status: 'error', message: messageOf(err) } });
      }
    },
    closeReview: () => set({ reviewRecord: { status: 'idle' } }),
  });
