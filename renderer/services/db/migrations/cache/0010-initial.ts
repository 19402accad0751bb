import type { Dexie } from 'dexie';

/**
 * Every list view has its own compound index so a page is an index range scan, never a sort over the
 * whole table (a sortBy over 100k rows is ~350× slower in Chromium; see the toolchain bench).
 */
export function migration0010Initial(db: Dexie): void {
  db.version(10).stores({
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
      '*words',
    ].join(', '),
    customers: 'id, phoneKey, emailKey',
    comments: 'id, [ticketId+createdAt]',
    shadows: 'key',
    conflicts: 'id, ticketId',
    meta: 'key',
  });
}
