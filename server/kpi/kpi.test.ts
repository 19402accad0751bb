import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ContactEvent } from '../../core/kpi/contactEvents';
import { deltasOf, figuresOf } from '../../core/kpi/figures';
import { KpiReport } from '../../core/kpi/wire';
import { createWorld, secret, type World } from '../../tests/support/server/syncWorld';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../tests/support/server/throwawayDatabase';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import type { Db } from '../db/db';
import { openPglite } from '../db/pglite';
import { openPostgres } from '../db/postgres';
import { recordContactEvent, recordPresenceChange } from './events';
import { materialiseAhead } from './materialise';
import { ensureRollups } from './rollup';
import { setFcrWindow } from './settings';

/**
 * KPI figures from seeded events with hand-computed expectations (issue 14 "What must be shown"), on PGlite
 * and, when the unit step gives a DATABASE_URL, on real PostgreSQL too. Team A works in Europe/Berlin; the
 * report week 2026-03-23 .. 03-29 ends with the spring daylight-saving change (29 March has 23 hours).
 */
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log('server/kpi/kpi.test.ts: PostgreSQL run skipped, DATABASE_URL is not set (PGlite run goes ahead)');

type Kind = ContactEvent['kind'];
const backends: { name: string; open: () => Promise<{ db: Db; drop?: () => Promise<void> }> }[] = [
  { name: 'PGlite', open: async () => ({ db: await openPglite('memory://') }) },
  ...(baseUrl
    ? [
        {
          name: 'PostgreSQL',
          open: async () => {
            const scratch: ThrowawayDatabase = await createThrowawayDatabase(baseUrl, 'switchboard_kpi');
            return { db: await openPostgres(scratch.url), drop: () => scratch.drop() };
          },
        },
      ]
    : []),
];

describe.each(backends)('KPIs on $name', ({ open }) => {
  let db: Db;
  let drop: (() => Promise<void>) | undefined;
  let w: World;
  let app: FastifyInstance;
  const now = Date.parse('2026-04-15T10:00:00Z');
  const tickets = { t1: randomUUID(), t2: randomUUID(), t3: randomUUID(), t4: randomUUID(), old: randomUUID() };
  const customers = { x: randomUUID(), y: randomUUID(), z: randomUUID(), v: randomUUID(), old: randomUUID() };

  const ev = (kind: Kind, at: string, contact: { id: string; customer: string; ticket: string; channel: ContactEvent['channel'] }, agent: string | null, data: unknown, teamId = w.teamA) =>
    recordContactEvent(db, { kind, at: new Date(at), teamId, agentId: agent, customerId: contact.customer, contactId: contact.id, ticketId: contact.ticket, channel: contact.channel, data } as ContactEvent);

  /** A handled contact: offered, answered after waitMs, ended after talkMs, optional wrap-up. */
  async function contact(o: { offered: string; waitMs: number; talkMs: number; wrapMs?: number; customer: string; ticket: string; channel: ContactEvent['channel']; agent: string }) {
    const c = { id: randomUUID(), customer: o.customer, ticket: o.ticket, channel: o.channel };
    const t0 = Date.parse(o.offered);
    await ev('offered', o.offered, c, null, {});
    await ev('answered', new Date(t0 + o.waitMs).toISOString(), c, o.agent, { waitMs: o.waitMs });
    const end = t0 + o.waitMs + o.talkMs;
    await ev('ended', new Date(end).toISOString(), c, o.agent, { talkMs: o.talkMs });
    if (o.wrapMs !== undefined) await ev('wrap_up', new Date(end + o.wrapMs).toISOString(), c, o.agent, { wrapUpMs: o.wrapMs });
    return c;
  }

  async function surveys(day: string, asked: number, scores: number[]) {
    for (let i = 0; i < asked; i++) {
      const c = { id: randomUUID(), customer: randomUUID(), ticket: randomUUID(), channel: 'webchat' as const };
      await ev('survey', `${day}T12:00:00Z`, c, w.anna.id, { answered: false });
      const score = scores[i];
      if (score !== undefined) await ev('survey', `${day}T12:05:00Z`, c, w.anna.id, { answered: true, score });
    }
  }

  beforeAll(async () => {
    const opened = await open();
    db = opened.db;
    drop = opened.drop;
    w = await createWorld(db);
    await db.query("update teams set time_zone = 'Europe/Berlin', name = '柏林团队' where id = $1", [w.teamA]);
    app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db, sync: { now: () => now, pruneEveryMs: 0 }, kpi: { materialiseEveryMs: 0 } });
    const anna = w.anna.id;
    // c1 Mon 23rd: voice, waits 20 s, talks 5 min, wraps up 1 min → handle 360 s. Customer x, ticket t1.
    await contact({ offered: '2026-03-23T08:00:00Z', waitMs: 20_000, talkMs: 300_000, wrapMs: 60_000, customer: customers.x, ticket: tickets.t1, channel: 'voice', agent: anna });
    // c2 Tue 24th: web chat, waits 40 s, 10 min → 600 s. Customer y, ticket t2.
    await contact({ offered: '2026-03-24T09:00:00Z', waitMs: 40_000, talkMs: 600_000, customer: customers.y, ticket: tickets.t2, channel: 'webchat', agent: anna });
    // c3 Thu 26th: customer x again about t1, 3 days after c1 ended → c1 was not resolved first time. 120 + 60 s.
    await contact({ offered: '2026-03-26T10:00:00Z', waitMs: 0, talkMs: 120_000, wrapMs: 60_000, customer: customers.x, ticket: tickets.t1, channel: 'voice', agent: anna });
    // c4: offered 2026-03-28 23:30 UTC = Sunday 29th 00:30 CET; ended 21:59 UTC = 23:59 CEST, still Sunday. 60 s.
    await contact({ offered: '2026-03-28T23:30:00Z', waitMs: 0, talkMs: 60_000, customer: customers.z, ticket: tickets.t3, channel: 'email', agent: anna });
    // c5: 2026-03-29 22:30 UTC = Monday 30th 00:30 CEST: next week (a fixed UTC+1 would put it on Sunday).
    await contact({ offered: '2026-03-29T22:30:00Z', waitMs: 0, talkMs: 600_000, customer: customers.v, ticket: tickets.t4, channel: 'webchat', agent: anna });
    // The same ISO week a year before (2025-W13: 24..30 March 2025): one contact of 400 s.
    await contact({ offered: '2025-03-25T09:00:00Z', waitMs: 10_000, talkMs: 400_000, customer: customers.old, ticket: tickets.old, channel: 'voice', agent: anna });
    // CSAT: the week before asked 10 and got 4 answers (40%: not valid), this week asked 5 and got 3 (60%).
    await surveys('2026-03-18', 10, [5, 4, 3, 2]);
    await surveys('2026-03-25', 5, [5, 5, 4]);
    // Staffed time: Monday 07:00-09:00 UTC available (2 h), then a 1 h break (not staffed); across the
    // change night, 28th 23:00 CET .. 29th 04:00 CEST available: 1 h on the 28th, 3 h on the 29th.
    const p = (state: 'available' | 'break' | 'offline', at: string) => recordPresenceChange(db, { userId: anna, teamIds: [w.teamA], state, reason: state === 'break' ? 'lunch' : null, at: new Date(at) });
    await p('available', '2026-03-23T07:00:00Z');
    await p('break', '2026-03-23T09:00:00Z');
    await p('offline', '2026-03-23T10:00:00Z');
    await p('available', '2026-03-28T22:00:00Z');
    await p('offline', '2026-03-29T02:00:00Z');
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await drop?.();
  });

  const get = async (who: { authorization: string }, query: Record<string, string>) => {
    const res = await app.inject({ method: 'GET', url: `/kpi/report?${new URLSearchParams(query).toString()}`, headers: who });
    return res;
  };
  const weekReport = async (agentId?: string) => {
    const res = await get(w.lead.auth, { teamId: w.teamA, period: 'week', anchor: '2026-03-25', ...(agentId ? { agentId } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return KpiReport.parse(res.json());
  };

  test('handle time, speed of answer, FCR and contacts per channel of a week that ends with the spring DST change', async () => {
    const r = await weekReport();
    expect(r.ranges.current).toEqual({ from: '2026-03-23', to: '2026-03-29' });
    const f = figuresOf(r.current.total, r.current.byChannel);
    // c1..c4 (c5 is Monday 30th local time).
    expect(f.handled).toBe(4);
    expect(f.handledByChannel).toEqual({ voice: 2, webchat: 1, email: 1 });
    // (360 + 600 + 180 + 60) s / 4
    expect(f.ahtMs).toBe(300_000);
    // (20 + 40 + 0 + 0) s / 4
    expect(f.asaMs).toBe(15_000);
    // c1 came back within 7 days (c3); c2, c3, c4 did not.
    expect(f.fcr).toBe(0.75);
    // 1200 s handled / 6 h staffed (the break hour is not staffed).
    expect(f.occupancy).toBeCloseTo(1200 / 21_600, 10);
  });

  test('the 23-hour day is bucketed whole: events and staffed time land on the Berlin calendar day', async () => {
    const r = await weekReport();
    const day = (d: string) => r.trend.find((t) => t.day === d)!.total;
    expect(r.trend.map((t) => t.day)).toEqual(['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29']);
    // c4 was offered at 23:30 UTC on the 28th: that is the 29th in Berlin.
    expect(day('2026-03-28').offered).toBe(0);
    expect(day('2026-03-29').offered).toBe(1);
    expect(day('2026-03-29').handled).toBe(1);
    expect(day('2026-03-28').staffedMs).toBe(3_600_000);
    expect(day('2026-03-29').staffedMs).toBe(3 * 3_600_000);
    // The next week starts with c5 (Monday 00:30 CEST).
    const next = KpiReport.parse((await get(w.lead.auth, { teamId: w.teamA, period: 'day', anchor: '2026-03-30' })).json());
    expect(next.current.total.handled).toBe(1);
    expect(next.current.byChannel.webchat?.handled).toBe(1);
  });

  test('CSAT: 40% response rate is marked not valid, 60% is shown valid', async () => {
    const r = await weekReport();
    const now = figuresOf(r.current.total).csat;
    expect(now).toMatchObject({ asked: 5, answered: 3, responseRate: 0.6, valid: true, satisfied: 1 });
    expect(now.average).toBeCloseTo(14 / 3, 10);
    const before = figuresOf(r.previous.total).csat;
    expect(r.ranges.previous).toEqual({ from: '2026-03-16', to: '2026-03-22' });
    expect(before).toMatchObject({ asked: 10, answered: 4, responseRate: 0.4, valid: false, average: 3.5, satisfied: 0.5 });
  });

  test('环比 and 同比: the week before and ISO week 13 of 2025', async () => {
    const r = await weekReport();
    expect(r.ranges.yearBefore).toEqual({ from: '2025-03-24', to: '2025-03-30' });
    const cur = figuresOf(r.current.total);
    const yoy = deltasOf(cur, figuresOf(r.yearBefore.total));
    // AHT 300 s against 400 s: 25% shorter, which is better.
    expect(yoy.ahtMs).toEqual({ kind: 'relative', value: -0.25, better: true });
    expect(yoy.handled).toEqual({ kind: 'relative', value: 3, better: true });
    // The week before handled nothing: no relative change from zero.
    expect(deltasOf(cur, figuresOf(r.previous.total)).handled).toBeNull();
  });

  test('a late event or a repeat contact on an ended day is in the next report (the rollup is recomputed, not stale)', async () => {
    const before = figuresOf((await weekReport()).current.total);
    expect(before.fcr).toBe(0.75);
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from kpi_rollup_days where team_id = $1', [w.teamA]);
    expect(rows[0]!.n).toBeGreaterThan(0);
    // Customer y comes back about t2 on the 27th: c2 (24th) was not resolved first time.
    const again = { id: randomUUID(), customer: customers.y, ticket: tickets.t2, channel: 'webchat' as const };
    await ev('offered', '2026-03-27T08:00:00Z', again, null, {});
    const after = figuresOf((await weekReport()).current.total);
    expect(after.fcr).toBe(0.5);
    expect(after.handled).toBe(4);
  });

  test('the FCR window is per team: at 2 days, c1 (repeat after 3 days) counts as resolved', async () => {
    await setFcrWindow(db, w.teamA, 2);
    try {
      const f = figuresOf((await weekReport()).current.total);
      // c1 (c3 came 3 days later) and c2 (its repeat came almost 3 days later) now count as resolved.
      expect(f.fcr).toBe(1);
    } finally {
      await setFcrWindow(db, w.teamA, 7);
    }
    expect(figuresOf((await weekReport()).current.total).fcr).toBe(0.5);
  });

  test('the background job materialises ended days ahead, each once even with two passes at once; the report then computes none inline', async () => {
    const before = figuresOf((await weekReport()).current.total);
    await db.query('delete from kpi_rollup_days');
    const opts = { horizonDays: 30, chunkDays: 7, now: () => now };
    // Two instances' passes at the same moment: each day is computed by one of them.
    const [a, b] = await Promise.all([materialiseAhead(db, opts), materialiseAhead(db, opts)]);
    const { rows } = await db.query<{ teams: number; marks: number }>('select (select count(*)::int from teams) as teams, (select count(*)::int from kpi_rollup_days) as marks');
    expect(a + b).toBe(rows[0]!.teams * 30);
    expect(rows[0]!.marks).toBe(rows[0]!.teams * 30);
    expect(await materialiseAhead(db, opts)).toBe(0);
    // The report's days (the week of 23-29 March, before "now") are all there: nothing is left to do inline.
    const week = ['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29'];
    expect(await ensureRollups(db, w.teamA, week, new Date(now))).toBe(0);
    expect(figuresOf((await weekReport()).current.total)).toEqual(before);
  });

  test("agents see their own figures only; leads their team's; admins all", async () => {
    const own = await get(w.anna.auth, { teamId: w.teamA, period: 'week', anchor: '2026-03-25', agentId: w.anna.id });
    expect(own.statusCode).toBe(200);
    expect(figuresOf(KpiReport.parse(own.json()).current.total).handled).toBe(4);
    expect((await get(w.anna.auth, { teamId: w.teamA, period: 'week', anchor: '2026-03-25' })).statusCode).toBe(403);
    expect((await get(w.bo.auth, { teamId: w.teamA, period: 'week', anchor: '2026-03-25', agentId: w.anna.id })).statusCode).toBe(403);
    expect((await get(w.zed.auth, { teamId: w.teamA, period: 'week', anchor: '2026-03-25', agentId: w.zed.id })).statusCode).toBe(403);
    expect((await get(w.lead.auth, { teamId: w.teamB, period: 'week', anchor: '2026-03-25' })).statusCode).toBe(403);
    expect((await get(w.admin.auth, { teamId: w.teamA, period: 'week', anchor: '2026-03-25' })).statusCode).toBe(200);
    const bad = await get(w.lead.auth, { teamId: w.teamA, period: 'fortnight', anchor: '2026-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/period|anchor/);
  });

  test('CSV: UTF-8 with a byte-order mark, the Chinese team name intact, numbers unlocalised, CSAT validity spelled out', async () => {
    const res = await app.inject({ method: 'GET', url: `/kpi/report.csv?teamId=${w.teamA}&period=week&anchor=2026-03-25`, headers: w.lead.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    const header = lines[0]!.split(',');
    const current = lines.find((l) => l.startsWith('current,'))!.split(',');
    const previous = lines.find((l) => l.startsWith('previous,'))!.split(',');
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    expect(col(current, 'team')).toBe('柏林团队');
    expect(col(current, 'aht_seconds')).toBe('300');
    expect(col(current, 'csat_average')).toBe('4.67');
    expect(col(current, 'csat_valid')).toBe('yes');
    expect(col(previous, 'csat_response_rate_percent')).toBe('40');
    expect(col(previous, 'csat_valid')).toBe('no');
  });

  test('the log is append-only: updates and deletes are refused', async () => {
    await expect(db.query("update contact_events set kind = 'ended'")).rejects.toThrow(/append-only/);
    await expect(db.query('delete from contact_events')).rejects.toThrow(/append-only/);
  });

  test('presence history: one stretch per state and reason; repeating the state changes nothing', async () => {
    const u = w.bo.id;
    const at = (iso: string) => new Date(iso);
    await recordPresenceChange(db, { userId: u, teamIds: [w.teamA], state: 'available', reason: null, at: at('2026-04-01T08:00:00Z') });
    await recordPresenceChange(db, { userId: u, teamIds: [w.teamA], state: 'available', at: at('2026-04-01T08:00:15Z') });
    await recordPresenceChange(db, { userId: u, teamIds: [w.teamA], state: 'break', reason: 'lunch', at: at('2026-04-01T12:00:00Z') });
    // The coaching live report knows no reason: the lunch break goes on.
    await recordPresenceChange(db, { userId: u, teamIds: [w.teamA], state: 'break', at: at('2026-04-01T12:00:15Z') });
    await recordPresenceChange(db, { userId: u, teamIds: [w.teamA], state: 'break', reason: 'training', at: at('2026-04-01T12:30:00Z') });
    const { rows } = await db.query<{ state: string; reason: string | null; started_at: Date; ended_at: Date | null }>(
      'select state, reason, started_at, ended_at from presence_log where user_id = $1 order by started_at',
      [u],
    );
    expect(rows.map((r) => [r.state, r.reason, r.started_at.toISOString(), r.ended_at?.toISOString() ?? null])).toEqual([
      ['available', null, '2026-04-01T08:00:00.000Z', '2026-04-01T12:00:00.000Z'],
      ['break', 'lunch', '2026-04-01T12:00:00.000Z', '2026-04-01T12:30:00.000Z'],
      ['break', 'training', '2026-04-01T12:30:00.000Z', null],
    ]);
  });
});
