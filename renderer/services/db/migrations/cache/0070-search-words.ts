import type { Dexie, Transaction } from 'dexie';
import { ticketWordRows, type CachedTicket, type TicketWordRow } from '../../rows';

/**
 * Search moves from the tickets' `*words` multiEntry index to a `ticketWords` table keyed
 * [word+updatedAt+ticketId]. A multiEntry index cannot be compound, so `*words` could only hand out
 * matches in word-then-id order: finding the 50 newest meant loading and sorting every candidate
 * (436 ms p95 at 100k). Keyed this way, one word's rows are already newest-first, and a prefix range's
 * keys carry updatedAt, so ranking needs no ticket loads. The rows replace the index entries one for one
 * (same words), so writes cost about what the index did. The upgrade derives them from the cached rows,
 * so it works offline and keeps pending optimistic state searchable.
 */
export function migration0070SearchWords(db: Dexie): void {
  db.version(70)
    .stores({
      tickets: [
        'id',
        'number',
        'customerId',
        '[assigneeKey+updatedAt]',
        '[assigneeKey+slaDue]',
        '[teamKey+assigneeKey+updatedAt]',
        '[teamKey+assigneeKey+slaDue]',
        '[status+updatedAt]',
        '[status+slaDue]',
        '*tags',
      ].join(', '),
      ticketWords: '[word+updatedAt+ticketId]',
    })
    .upgrade(async (tx: Transaction) => {
      const words = tx.table<TicketWordRow, [string, number, string]>('ticketWords');
      const rows: TicketWordRow[] = [];
      await tx.table<CachedTicket, string>('tickets').each((t) => void rows.push(...ticketWordRows(t)));
      await words.bulkAdd(rows);
    });
}
