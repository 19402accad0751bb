import type { Locale } from '../../core/locale';
import { hashPassword } from '../auth/password';
import type { Db, Queryable } from '../db/db';
import { agentReplies, type Channel, chineseNames, demoTeams, demoUsers, internalNotes, openingMessages, subjects, type TeamKey, westernNames } from './demoData';
import { seedFloorDemo } from './floorDemo';
import { seedChatDemo } from './chatDemo';
import { seedKpiDemo } from './kpiDemo';
import { seedSlaDemo } from './slaDemo';
import { demoQuickReplies } from './quickReplies';
import { createRandom, type Random } from './random';

/** The password of every demo account; printed on the first start and in server/README.md. */
export const demoPassword = 'switchboard';

export type SeedReport = { ms: number; users: number; customers: number; tickets: number; comments: number; quickReplies: number };
/** `kpiHistory`: 70 days of contact events and presence for the KPI page (default on; tests that only need accounts and tickets turn it off). */
export type SeedOptions = { tickets?: number; customers?: number; now?: Date; seed?: number; kpiHistory?: boolean };

const hour = 3_600_000;
/** First-response and resolution targets per priority, in hours. */
const slaHours = { urgent: [1, 8], high: [4, 24], normal: [8, 72], low: [24, 120] } as const;
type Priority = keyof typeof slaHours;
type Status = 'new' | 'open' | 'pending' | 'solved' | 'closed';

/**
 * Demo data for a first look and for tests: 2 teams, 7 accounts, customers in three languages, a few
 * hundred tickets with comments, and 30 quick replies. Deterministic (fixed PRNG seed; times relative to
 * `now`), one transaction, multi-row INSERTs. Returns null and writes nothing when users already exist.
 */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedReport | null> {
  const started = performance.now();
  const { tickets: ticketCount = 300, customers: customerCount = 120, now = new Date(), seed = 20_240_601 } = options;
  const random = createRandom(seed);
  const passwordHashes = await Promise.all(demoUsers.map(() => hashPassword(demoPassword)));

  const report = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from users');
    if (rows[0]!.n > 0) return null;

    const teamIds = new Map<TeamKey, string>(demoTeams.map((t) => [t.key, random.uuid()]));
    await insertRows(tx, 'teams', ['id', 'name', 'language'], demoTeams.map((t) => [teamIds.get(t.key), t.name, t.language]));

    const userIds = new Map(demoUsers.map((u) => [u.username, random.uuid()]));
    await insertRows(tx, 'users', ['id', 'username', 'display_name', 'role', 'language', 'extension', 'password_hash'],
      demoUsers.map((u, i) => [userIds.get(u.username), u.username, u.displayName, u.role, u.language, u.extension, passwordHashes[i]]));
    // The test PBX (tests/stack) knows extension N with SIP password "testN".
    await tx.query("update users set sip_password = 'test' || extension where extension is not null");
    await insertRows(tx, 'team_members', ['team_id', 'user_id'],
      demoUsers.filter((u) => u.team).map((u) => [teamIds.get(u.team!), userIds.get(u.username)]));

    const customers = Array.from({ length: customerCount }, () => makeCustomer(random));
    await insertRows(tx, 'customers', ['id', 'name', 'email', 'phone', 'language', 'country'],
      customers.map((c) => [c.id, c.name, c.email, c.phone, c.language, c.country]));

    const staffByTeam = new Map<TeamKey, string[]>(demoTeams.map((t) => [t.key, demoUsers.filter((u) => u.team === t.key && u.role !== 'admin').map((u) => userIds.get(u.username)!)]));
    const ticketRows: unknown[][] = [];
    const commentRows: unknown[][] = [];
    for (let i = 0; i < ticketCount; i++) {
      const customer = random.pick(customers);
      const team: TeamKey = customer.language === 'en' ? 'berlin' : 'shanghai';
      const template = random.pick(subjects[customer.language]);
      const subject = template.text.replace('{order}', `SO-${random.digits(6)}`).replace('{invoice}', `INV-${random.int(2024, 2025)}-${random.digits(5)}`);
      const priority = random.weighted<Priority>([['low', 2], ['normal', 5], ['high', 2], ['urgent', 1]]);
      // Mostly recent tickets, a tail reaching three weeks back.
      const created = new Date(now.getTime() - Math.floor(random.next() ** 2 * 21 * 24 * hour) - random.int(1, 60) * 60_000);
      const ageHours = (now.getTime() - created.getTime()) / hour;
      const status = random.weighted<Status>(ageHours < 4 ? [['new', 6], ['open', 3], ['pending', 1]] : [['new', 1], ['open', 4], ['pending', 2], ['solved', 3], ['closed', ageHours > 72 ? 3 : 0]]);
      const assignee = status === 'new' && random.chance(0.8) ? null : random.pick(staffByTeam.get(team)!);
      const channel: Channel = template.channel ?? random.weighted<Channel>([['email', 4], ['web', 2], ['chat', 2], ['messaging', 2], ['voice', 1]]);
      const tags = [...template.tags, ...(random.chance(0.1) ? ['vip'] : [])];
      const [firstHours, resolveHours] = slaHours[priority];
      const id = random.uuid();
      const opening = random.pick(openingMessages[customer.language]).replace('{subject}', subject).replace('{name}', customer.name);
      commentRows.push([random.uuid(), id, null, 'public', opening, created]);
      let last = created;
      if (status !== 'new' && assignee) {
        last = new Date(Math.min(now.getTime(), created.getTime() + random.int(5, 240) * 60_000));
        commentRows.push([random.uuid(), id, assignee, 'public', random.pick(agentReplies[customer.language]).replace('{name}', customer.name), last]);
        if (random.chance(0.25)) {
          last = new Date(Math.min(now.getTime(), last.getTime() + random.int(1, 120) * 60_000));
          commentRows.push([random.uuid(), id, assignee, 'internal', random.pick(internalNotes), last]);
        }
      }
      ticketRows.push([id, 1001 + i, subject, status, priority, customer.id, assignee, teamIds.get(team), tags, channel,
        new Date(created.getTime() + firstHours * hour), new Date(created.getTime() + resolveHours * hour), created, last, 1 + (commentRows.length % 3)]);
    }
    await insertRows(tx, 'tickets', ['id', 'number', 'subject', 'status', 'priority', 'customer_id', 'assignee_id', 'team_id', 'tags', 'channel',
      'sla_first_response_due', 'sla_resolution_due', 'created_at', 'updated_at', 'version'], ticketRows);
    await tx.query(`select setval('ticket_number_seq', (select coalesce(max(number), 1000) from tickets))`);
    await insertRows(tx, 'ticket_comments', ['id', 'ticket_id', 'author_id', 'kind', 'body', 'created_at'], commentRows);

    await insertRows(tx, 'quick_replies', ['id', 'team_id', 'owner_id', 'category', 'shortcut', 'title', 'bodies', 'use_count'],
      demoQuickReplies.map((q) => [
        random.uuid(),
        q.scope === 'global' || q.scope.startsWith('personal:') ? null : teamIds.get(q.scope as TeamKey),
        q.scope.startsWith('personal:') ? userIds.get(q.scope.slice('personal:'.length)) : null,
        q.category, q.shortcut, q.title, JSON.stringify(q.bodies), random.int(0, 250),
      ]));
    await seedSlaDemo(tx, teamIds);
    await seedChatDemo(tx, { now, teamIds, userIds });
    await seedFloorDemo(tx, { teamIds });
    if (options.kpiHistory !== false) await seedKpiDemo(tx, { now, teamIds, staffByTeam });
    return { users: demoUsers.length, customers: customers.length, tickets: ticketRows.length, comments: commentRows.length, quickReplies: demoQuickReplies.length };
  });
  return report && { ms: Math.round(performance.now() - started), ...report };
}

type Customer = { id: string; name: string; email: string; phone: string; language: Locale; country: string };

function makeCustomer(random: Random): Customer {
  const language = random.weighted<Locale>([['en', 4], ['zh-CN', 4], ['zh-TW', 2]]);
  const domain = random.pick(['example.com', 'example.net', 'example.org']);
  const tag = random.digits(2);
  if (language === 'en') {
    const first = random.pick(westernNames.first);
    const last = random.pick(westernNames.last);
    const [country, phone] = random.pick<[string, () => string]>([
      ['DE', () => `+49151${random.digits(8)}`],
      ['GB', () => `+447700900${random.digits(3)}`],
      ['US', () => `+1415555${random.pick(['01', '02'])}${random.digits(2)}`],
      ['SG', () => `+658${random.digits(7)}`],
    ]);
    const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
    return { id: random.uuid(), name: `${first} ${last}`, email: `${local}${tag}@${domain}`, phone: phone(), language, country };
  }
  const names = chineseNames[language];
  const [family, familyLatin] = random.pick(names.family);
  const [given, givenLatin] = random.pick(names.given);
  const phone = language === 'zh-CN' ? `+861${random.pick(['38', '39', '58', '86', '77'])}${random.digits(8)}` : `+8869${random.digits(8)}`;
  return { id: random.uuid(), name: family + given, email: `${givenLatin}.${familyLatin}${tag}@${domain}`, phone, language, country: language === 'zh-CN' ? 'CN' : 'TW' };
}

/** Multi-row INSERTs, chunked below PostgreSQL's 65535 bind-parameter limit. */
async function insertRows(tx: Queryable, table: string, columns: readonly string[], rows: readonly unknown[][], chunk = 500): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    const values = slice.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await tx.query(`insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`, slice.flat());
  }
}
