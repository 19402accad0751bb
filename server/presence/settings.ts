import type { BreakReason, BreakReasonInput, FloorSettings } from '../../core/wire/board';
import type { Queryable } from '../db/db';
import { badRequest } from '../http/errors';

/**
 * A team's floor settings (team_floor_settings, 0120-presence-reasons.sql) and break reasons. A team
 * without a settings row has `defaultFloor`. The time zone is the team's one clock (`teams.time_zone`,
 * which SLA business hours and KPI days use too), so it is read from and written to `teams`.
 */
export const defaultFloor: FloorSettings = { wrapUpLimitSeconds: null, wrapUpNext: 'available', answerTargetSeconds: 60, timeZone: 'UTC' };

type FloorRow = { wrap_up_limit_seconds: number | null; wrap_up_next: FloorSettings['wrapUpNext'] | null; answer_target_seconds: number | null; time_zone: string };
const floorOf = (r: FloorRow | undefined): FloorSettings =>
  r
    ? {
        wrapUpLimitSeconds: r.wrap_up_limit_seconds,
        wrapUpNext: r.wrap_up_next ?? defaultFloor.wrapUpNext,
        answerTargetSeconds: r.answer_target_seconds ?? defaultFloor.answerTargetSeconds,
        timeZone: r.time_zone,
      }
    : defaultFloor;

export async function loadFloor(q: Queryable, teamId: string): Promise<FloorSettings> {
  const { rows } = await q.query<FloorRow>(
    `select f.wrap_up_limit_seconds, f.wrap_up_next, f.answer_target_seconds, t.time_zone
     from teams t left join team_floor_settings f on f.team_id = t.id where t.id = $1`,
    [teamId],
  );
  return floorOf(rows[0]);
}

/** An IANA zone name the runtime knows (Intl throws RangeError for any other). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function saveFloor(q: Queryable, teamId: string, floor: FloorSettings): Promise<FloorSettings> {
  if (!isTimeZone(floor.timeZone)) throw badRequest(`Invalid body: timeZone: "${floor.timeZone}" is not a time zone (use an IANA name such as Europe/Berlin)`);
  await q.query(
    `insert into team_floor_settings (team_id, wrap_up_limit_seconds, wrap_up_next, answer_target_seconds, updated_at)
     values ($1, $2, $3, $4, now())
     on conflict (team_id) do update set wrap_up_limit_seconds = excluded.wrap_up_limit_seconds, wrap_up_next = excluded.wrap_up_next,
       answer_target_seconds = excluded.answer_target_seconds, updated_at = now()`,
    [teamId, floor.wrapUpLimitSeconds, floor.wrapUpNext, floor.answerTargetSeconds],
  );
  await q.query('update teams set time_zone = $2 where id = $1', [teamId, floor.timeZone]);
  return loadFloor(q, teamId);
}

type ReasonRow = { id: string; code: string; label_en: string; label_zh_cn: string; label_zh_tw: string; active: boolean };
export const reasonOf = (r: ReasonRow): BreakReason => ({ id: r.id, code: r.code, labels: { en: r.label_en, 'zh-CN': r.label_zh_cn, 'zh-TW': r.label_zh_tw }, active: r.active });

export async function listReasons(q: Queryable, teamId: string, activeOnly: boolean): Promise<BreakReason[]> {
  const { rows } = await q.query<ReasonRow>(
    `select id, code, label_en, label_zh_cn, label_zh_tw, active from break_reasons where team_id = $1 and (active or not $2) order by not active, position, code`,
    [teamId, activeOnly],
  );
  return rows.map(reasonOf);
}

/**
 * Replaces a team's list: the given reasons, in this order, active as given; every other reason of the
 * team is retired (kept for history). Checks everything before writing anything: duplicate codes, ids of
 * another team's reasons. Call inside a transaction.
 */
export async function replaceReasons(tx: Queryable, teamId: string, input: readonly (BreakReasonInput & { active: boolean })[]): Promise<BreakReason[]> {
  const codes = new Set<string>();
  for (const r of input) {
    if (codes.has(r.code)) throw badRequest(`Invalid body: reasons: the code "${r.code}" is used twice`);
    codes.add(r.code);
  }
  const ids = input.flatMap((r) => (r.id ? [r.id] : []));
  if (ids.length) {
    const { rows } = await tx.query<{ id: string }>('select id from break_reasons where team_id = $1 and id = any($2::uuid[])', [teamId, ids]);
    const mine = new Set(rows.map((r) => r.id));
    const foreign = ids.find((id) => !mine.has(id));
    if (foreign) throw badRequest(`Invalid body: reasons: ${foreign} is not a break reason of this team`);
  }
  const before = await tx.query<{ id: string; code: string }>('select id, code from break_reasons where team_id = $1', [teamId]);
  // Codes are unique per team: park every row's code first, so two reasons can swap codes in one save.
  await tx.query("update break_reasons set code = 'x-' || replace(id::text, '-', '') where team_id = $1", [teamId]);
  const kept: string[] = [];
  for (const [position, r] of input.entries()) {
    const { rows } = r.id
      ? await tx.query<{ id: string }>(
          'update break_reasons set code = $3, label_en = $4, label_zh_cn = $5, label_zh_tw = $6, position = $7, active = $8 where id = $1 and team_id = $2 returning id',
          [r.id, teamId, r.code, r.labels.en, r.labels['zh-CN'], r.labels['zh-TW'], position, r.active],
        )
      : await tx.query<{ id: string }>(
          `insert into break_reasons (team_id, code, label_en, label_zh_cn, label_zh_tw, position, active) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
          [teamId, r.code, r.labels.en, r.labels['zh-CN'], r.labels['zh-TW'], position, r.active],
        );
    kept.push(rows[0]!.id);
  }
  // Left out: retired, with their old code back unless a kept reason took it (then the parked one stays).
  await tx.query('update break_reasons set active = false, position = 1000 where team_id = $1 and not (id = any($2::uuid[]))', [teamId, kept]);
  for (const old of before.rows) {
    if (kept.includes(old.id) || codes.has(old.code)) continue;
    await tx.query('update break_reasons set code = $2 where id = $1', [old.id, old.code]);
  }
  return listReasons(tx, teamId, false);
}
