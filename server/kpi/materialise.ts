import type { Db } from '../db/db';
import { ensureRollups } from './rollup';

/**
 * Materialises KPI rollups ahead of the reports, in the background, so the first report of a team after a
 * quiet night reads rollups instead of computing weeks of days inline (4 s for a month on a quiet machine at
 * the bench's 27 million events; 15-21 s loaded). Every ended day of every team within `horizonDays`
 * (enough for a month, the month before and the same month a year before) that has no rollup yet, newest
 * first, a few days per transaction (`chunkDays`) so a live contact event waits on the team's rollup lock
 * for one short transaction at most.
 *
 * Work is done once across several server instances: each chunk takes the team's rollup lock with
 * `pg_try_advisory_xact_lock` (the lock the invalidation triggers and an inline report take, 0100
 * migration) and skips the team when another instance holds it, like the SLA scanner's `skip locked`; the
 * rollup marks (`kpi_rollup_days`) say what is done, so a restart resumes where it stopped. An event that
 * lands later on a materialised day deletes its mark as before, and the next run (or report) recomputes it.
 */
export type MaterialiseOptions = { horizonDays: number; chunkDays: number; now: () => number; shouldStop?: () => boolean };

// 430 days: a month anchored on its last day, and the same month a year before, from its first day.
export const defaultMaterialise = { horizonDays: 430, chunkDays: 7 } as const;

/** One pass over every team; returns how many days it computed. */
export async function materialiseAhead(db: Db, opts: MaterialiseOptions): Promise<number> {
  const now = new Date(opts.now());
  const { rows: teams } = await db.query<{ id: string }>('select id from teams order by id');
  let done = 0;
  for (const team of teams) {
    const { rows } = await db.query<{ day: string }>(
      `select d::date::text as day
       from teams t, generate_series(((($2::timestamptz) at time zone t.time_zone)::date - $3::int)::timestamp,
                                     ((($2::timestamptz) at time zone t.time_zone)::date - 1)::timestamp, interval '1 day') d
       where t.id = $1 and not exists (select 1 from kpi_rollup_days r where r.team_id = $1 and r.day = d::date)
       order by d desc`,
      [team.id, now, opts.horizonDays],
    );
    const days = rows.map((r) => r.day);
    for (let i = 0; i < days.length; i += opts.chunkDays) {
      if (opts.shouldStop?.()) return done;
      const n = await ensureRollups(db, team.id, days.slice(i, i + opts.chunkDays), now, { skipLocked: true });
      // Nothing done: another instance holds the team (or just did these days); the next pass goes on.
      if (n === 0) break;
      done += n;
    }
  }
  return done;
}

/** Runs `materialiseAhead` every `everyMs` (first after `firstAfterMs`), never two passes at once. */
export function startMaterialiser(db: Db, opts: MaterialiseOptions & { everyMs: number; firstAfterMs: number; log(line: string): void }): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (stopped) return;
    const t0 = performance.now();
    running = materialiseAhead(db, { ...opts, shouldStop: () => stopped })
      .then((n) => {
        if (n > 0) opts.log(`kpi: materialised ${n} team-days of rollups in ${Math.round(performance.now() - t0)} ms`);
      })
      .catch((err: unknown) => opts.log(`kpi: materialising rollups failed (the next pass retries): ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, opts.everyMs).unref();
      });
  };
  timer = setTimeout(tick, opts.firstAfterMs).unref();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
