import type { Dexie } from 'dexie';

export function migration0010Initial(db: Dexie): void {
  db.version(10).stores({
    // [status+id]: pending mutations in mutation-id order without a sort; ticketId: a ticket's refusals.
    mutations: '++id, [status+id], ticketId',
    drafts: 'ticketId',
    meta: 'key',
  });
}
