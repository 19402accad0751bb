import type { Queryable } from '../db/db';

/**
 * Presence demo data, inside the demo seed's transaction: each team's time zone, answer target and
 * wrap-up limit, and a set of break reasons labelled in every language the app ships in.
 */
const reasons: [code: string, en: string, zhCN: string, zhTW: string][] = [
  ['lunch', 'Lunch', '午餐', '午餐'],
  ['short-break', 'Short break', '小憩', '小憩'],
  ['training', 'Training', '培训', '培訓'],
  ['meeting', 'Team meeting', '团队会议', '團隊會議'],
  ['coaching', 'Coaching session', '辅导', '輔導'],
  ['admin-work', 'Back-office work', '后台事务', '後台事務'],
];

const floors = {
  shanghai: { timeZone: 'Asia/Shanghai', wrapUpLimitSeconds: 120, answerTargetSeconds: 30 },
  berlin: { timeZone: 'Europe/Berlin', wrapUpLimitSeconds: 90, answerTargetSeconds: 60 },
} as const;

export async function seedFloorDemo(tx: Queryable, ctx: { teamIds: ReadonlyMap<string, string> }): Promise<void> {
  for (const [key, floor] of Object.entries(floors)) {
    const teamId = ctx.teamIds.get(key);
    if (!teamId) continue;
    await tx.query('insert into team_floor_settings (team_id, wrap_up_limit_seconds, wrap_up_next, answer_target_seconds) values ($1, $2, $3, $4)', [
      teamId, floor.wrapUpLimitSeconds, 'available', floor.answerTargetSeconds,
    ]);
    await tx.query('update teams set time_zone = $2 where id = $1', [teamId, floor.timeZone]);
    for (const [position, [code, en, zhCN, zhTW]] of reasons.entries()) {
      await tx.query('insert into break_reasons (team_id, code, label_en, label_zh_cn, label_zh_tw, position) values ($1, $2, $3, $4, $5, $6)', [teamId, code, en, zhCN, zhTW, position]);
    }
  }
}
