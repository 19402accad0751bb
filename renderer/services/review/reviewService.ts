import type { ReviewRecord, ReviewSearchQuery, ReviewSearchResult } from '../../../core/wire/review';
import { reviewRoutes } from '../../../core/wire/review';
import type { Api } from '../api/api';

/** Conversation review from the server (core/wire/review.ts). The server checks scope and audits each call. */
export type ReviewService = {
  search(query: ReviewSearchQuery): Promise<ReviewSearchResult>;
  record(id: string): Promise<ReviewRecord>;
};

const queryString = (q: ReviewSearchQuery): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
};

export function createReviewService(api: Api): ReviewService {
  return {
    // Our own server's answer; the page renders strings only as text (customer text never runs script).
    search: async (q) => (await api.getJson(`${reviewRoutes.search}?${queryString(q)}`)) as ReviewSearchResult,
    record: async (id) => (await api.getJson(reviewRoutes.record(id))) as ReviewRecord,
  };
}
