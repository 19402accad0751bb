import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { QuickReply } from '../../../core/replies/model';
import { buildReplyIndex, type ReplyIndex } from '../../../core/replies/search';
import type { RepliesRepo } from '../../services/db/repliesRepo';

/** The reply library (server + local, with use counts) and its search index, rebuilt when Dexie changes. */
export function useReplyLibrary(replies: RepliesRepo | null): { list: QuickReply[] | undefined; index: ReplyIndex | null } {
  const list = useLiveQuery(() => (replies ? replies.all() : Promise.resolve([])), [replies]);
  const index = useMemo(() => (list ? buildReplyIndex(list) : null), [list]);
  return { list, index };
}
