import { Dexie, type Table } from 'dexie';
import { migration0010Initial } from './migrations/outbox/0010-initial';
import { migration0030CallLog } from './migrations/outbox/0030-call-log';
import { migration0040MutationIds } from './migrations/outbox/0040-mutation-ids';
import { migration0050Chat } from './migrations/outbox/0050-chat';
import { migration0060CallReports } from './migrations/outbox/0060-call-reports';
import { migration0140MissedCalls } from './migrations/outbox/0140-missed-calls';
import type { MissedCallRow } from './missedCallsRepo';
import type { CallReportRow } from './callReports';
import type { ChatOutboxRow, MyReplyRow, ReplyUseRow } from './chatRows';
import type { CallLogRow, DraftRow, OutboxMeta, OutboxRow } from './rows';

export const outboxDbName = 'switchboard-outbox';

/**
 * What the agent did or typed that the server does not have yet: pending mutations, refusals not yet
 * seen, composer drafts, and the client id that numbers the mutations. Its own database, so healing the
 * cache never touches it, and every transaction is durability 'strict': since Chrome 121 the default is
 * 'relaxed', which reports a commit before it reaches the disk, so a power cut could lose a saved reply.
 */
export class OutboxDb extends Dexie {
  mutations!: Table<OutboxRow, number>;
  drafts!: Table<DraftRow, string>;
  meta!: Table<OutboxMeta, OutboxMeta['key']>;
  callLog!: Table<CallLogRow, string>;
  chatOutbox!: Table<ChatOutboxRow, string>;
  myReplies!: Table<MyReplyRow, string>;
  replyUses!: Table<ReplyUseRow, string>;
  callReports!: Table<CallReportRow, string>;
  missedCalls!: Table<MissedCallRow, string>;

  constructor(name = outboxDbName) {
    super(name, { chromeTransactionDurability: 'strict' });
    migration0010Initial(this);
    migration0030CallLog(this);
    migration0040MutationIds(this);
    migration0050Chat(this);
    migration0060CallReports(this);
    migration0140MissedCalls(this);
  }
}
