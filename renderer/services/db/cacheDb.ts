import { Dexie, type Table } from 'dexie';
import type { Comment } from '../../../core/tickets/model';
import { migration0010Initial } from './migrations/cache/0010-initial';
import { migration0020Chat } from './migrations/cache/0020-chat';
import { migration0070SearchWords } from './migrations/cache/0070-search-words';
import type { CachedConversation, CachedChatMessage, ChatStateRow, CachedQuickReply } from './chatRows';
import type { CachedCustomer, CachedTicket, ConflictRow, MetaRow, ShadowRow, TicketWordKey, TicketWordRow } from './rows';

export const cacheDbName = 'switchboard-cache';

/**
 * The local copy of server data. Everything in it can be rebuilt by a full pull, which is why it may be
 * deleted to heal (quota, data loss) and why nothing the agent typed lives here: that is OutboxDb.
 */
export class CacheDb extends Dexie {
  tickets!: Table<CachedTicket, string>;
  ticketWords!: Table<TicketWordRow, TicketWordKey>;
  customers!: Table<CachedCustomer, string>;
  comments!: Table<Comment, string>;
  shadows!: Table<ShadowRow, string>;
  conflicts!: Table<ConflictRow, string>;
  meta!: Table<MetaRow, MetaRow['key']>;
  conversations!: Table<CachedConversation, string>;
  chatMessages!: Table<CachedChatMessage, string>;
  quickReplies!: Table<CachedQuickReply, string>;
  chatState!: Table<ChatStateRow, ChatStateRow['key']>;

  constructor(name = cacheDbName) {
    super(name);
    migration0010Initial(this);
    migration0020Chat(this);
    migration0070SearchWords(this);
  }

  /** Drops the database and opens it empty with the current schema. */
  async rebuild(): Promise<void> {
    await this.delete({ disableAutoOpen: false });
    await this.open();
  }
}
