import type { Db, Queryable } from '../db/db';
import { type AlarmRow, loadAlarmRows } from './alarms';
import { onSlaOutcome } from './outcome';

/**
 * The periodic SLA scanner. Every alarm is computed from the database, so an alarm is never lost (a server
 * that was down raises what came due meanwhile at its next scan) and never raised twice, across restarts
 * and across several server instances scanning the same database at once:
 *   - each step locks the rows it acts on with `for update skip locked`: two instances scanning at the same
 *     moment split the due timers between them instead of both taking each;
 *   - an alarm is a row with a unique key (timer, level), inserted with `on conflict do nothing returning`:
 *     only the instance whose insert returned a row publishes it.
 *
 * One scan, in one transaction:
 *   1. active timers whose due time passed: state `missed` (onSlaOutcome), a `breach` alarm;
 *   2. active timers whose warning point passed (due time not yet, or step 1 took them): a `warning` alarm;
 *   3. breach alarms nobody acknowledged within the policy's escalation delay, while the timer still runs:
 *      an `escalation` alarm to the escalation contact, or the admins;
 *   4. escalations to a contact nobody acknowledged within the policy's second delay: `escalation_admins`.
 * After the commit the new alarms go to `publish` (the realtime topic, routes.ts).
 */
export type ScannerOptions = {
  db: Db;
  now: () => number;
  /** How often to scan; the alarm reaches screens within this plus delivery. */
  intervalMs: number;
  publish(alarms: AlarmRow[]): void;
  log(line: string): void;
};

export type SlaScanner = { scanOnce(): Promise<AlarmRow[]>; stop(): Promise<void> };

/** Per scan and step: a backlog (a server down for hours) drains over a few scans instead of one huge transaction. */
const batch = 500;

async function raise(tx: Queryable, timers: { id: string; ticket_id: string; team_id: string; assignee_id: string | null; escalated_to?: string | null }[], level: string, at: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const t of timers) {
    const { rows } = await tx.query<{ id: string }>(
      `insert into sla_alarms (timer_id, ticket_id, team_id, level, assignee_id, escalated_to, raised_at)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict (timer_id, level) do nothing returning id`,
      [t.id, t.ticket_id, t.team_id, level, t.assignee_id, t.escalated_to ?? null, at],
    );
    if (rows[0]) ids.push(rows[0].id);
  }
  return ids;
}

export async function scanOnce(db: Db, nowMs: number): Promise<AlarmRow[]> {
  const now = new Date(nowMs);
  const ids = await db.transaction(async (tx) => {
    const raised: string[] = [];
    type Due = { id: string; ticket_id: string; team_id: string; kind: 'first_response' | 'next_response' | 'resolution'; assignee_id: string | null };
    const { rows: due } = await tx.query<Due>(
      `select s.id, s.ticket_id, s.team_id, s.kind, tk.assignee_id from sla_timers s join tickets tk on tk.id = s.ticket_id
       where s.state = 'active' and s.due_at <= $1
       order by s.due_at limit ${batch} for update of s skip locked`,
      [now],
    );
    for (const t of due) {
      await tx.query("update sla_timers set state = 'missed' where id = $1", [t.id]);
      await onSlaOutcome(tx, { timerId: t.id, ticketId: t.ticket_id, teamId: t.team_id, kind: t.kind, outcome: 'missed', at: now, assigneeId: t.assignee_id });
    }
    raised.push(...(await raise(tx, due, 'breach', now)));

    // After the breaches: a timer past both points (the server was down) gets the breach, not a late warning.
    // Only `warn_at` in the condition, so the planner takes the warn index, never a scan of every running
    // timer through the due index (seen on PGlite, which has no autovacuum statistics: 600 ms a scan at 100k).
    const { rows: warn } = await tx.query<Due>(
      `select s.id, s.ticket_id, s.team_id, s.kind, tk.assignee_id from sla_timers s join tickets tk on tk.id = s.ticket_id
       where s.state = 'active' and s.warn_at <= $1
         and not exists (select 1 from sla_alarms a where a.timer_id = s.id and a.level = 'warning')
       order by s.warn_at limit ${batch} for update of s skip locked`,
      [now],
    );
    raised.push(...(await raise(tx, warn, 'warning', now)));

    const { rows: late } = await tx.query<{ id: string; ticket_id: string; team_id: string; assignee_id: string | null; escalated_to: string | null }>(
      `select s.id, a.ticket_id, a.team_id, a.assignee_id, s.escalation_user_id as escalated_to
       from sla_alarms a join sla_timers s on s.id = a.timer_id
       where a.level = 'breach' and a.acknowledged_at is null and s.stopped_at is null
         and a.raised_at + s.escalate_after_seconds * interval '1 second' <= $1
         and not exists (select 1 from sla_alarms e where e.timer_id = a.timer_id and e.level = 'escalation')
       order by a.raised_at limit ${batch} for update of a skip locked`,
      [now],
    );
    raised.push(...(await raise(tx, late, 'escalation', now)));

    // The second level: an escalation to a contact that nobody acknowledged (nor the breach) within the
    // policy's second delay goes on to the admins, once.
    const { rows: again } = await tx.query<{ id: string; ticket_id: string; team_id: string; assignee_id: string | null; escalated_to: string | null }>(
      `select s.id, e.ticket_id, e.team_id, e.assignee_id, e.escalated_to
       from sla_alarms e join sla_timers s on s.id = e.timer_id
       where e.level = 'escalation' and e.escalated_to is not null and e.acknowledged_at is null and s.stopped_at is null
         and s.escalate_again_after_seconds is not null
         and e.raised_at + s.escalate_again_after_seconds * interval '1 second' <= $1
         and not exists (select 1 from sla_alarms b where b.timer_id = e.timer_id and b.level = 'breach' and b.acknowledged_at is not null)
         and not exists (select 1 from sla_alarms x where x.timer_id = e.timer_id and x.level = 'escalation_admins')
       order by e.raised_at limit ${batch} for update of e skip locked`,
      [now],
    );
    raised.push(...(await raise(tx, again, 'escalation_admins', now)));
    return raised;
  });
  return loadAlarmRows(db, ids);
}

export function startSlaScanner(opts: ScannerOptions): SlaScanner {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<AlarmRow[]> | null = null;

  const scan = async (): Promise<AlarmRow[]> => {
    const alarms = await scanOnce(opts.db, opts.now());
    if (alarms.length > 0) opts.publish(alarms);
    return alarms;
  };
  const tick = () => {
    if (stopped) return;
    running = scan().catch((err: unknown) => {
      opts.log(`sla scanner: scan failed (the next one retries): ${err instanceof Error ? err.message : String(err)}`);
      return [];
    });
    void running.finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, opts.intervalMs).unref();
    });
  };
  timer = setTimeout(tick, 0).unref();
  return {
    scanOnce: scan,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
