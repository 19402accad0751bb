import { z } from 'zod';
import { ContactChannel } from './contactEvents';
import { type KpiSums, kpiSumKeys } from './figures';
import { isDay } from './periods';

/**
 * Wire contract of the KPI routes (server/kpi/routes.ts). Agents see their own figures, leads their teams'
 * (and each agent's in them), admins every team's.
 *
 *   GET /kpi/scopes                                   the teams (and agents) the caller may report on
 *   GET /kpi/report?teamId&agentId?&period&anchor     current, previous (环比) and year-before (同比) sums, daily trend, per agent
 *   GET /kpi/report.csv?...same                       the same as CSV: UTF-8 with a BOM, numbers unlocalised
 *
 * The wire carries summed counters; core/kpi/figures.ts turns them into figures on either side, so the
 * page and the CSV cannot disagree.
 */
export const kpiRoutes = { scopes: '/kpi/scopes', report: '/kpi/report', csv: '/kpi/report.csv' } as const;

export const KpiPeriodSchema = z.enum(['day', 'week', 'month']);
const Day = z.string().refine(isDay, 'a date as YYYY-MM-DD');

export const KpiQuery = z
  .object({
    teamId: z.uuid(),
    agentId: z.uuid().optional(),
    period: KpiPeriodSchema,
    anchor: Day,
  })
  .strict();
export type KpiQuery = z.infer<typeof KpiQuery>;

const Count = z.number().nonnegative();
export const KpiSumsSchema = z.object(Object.fromEntries(kpiSumKeys.map((k) => [k, Count])) as Record<keyof KpiSums, typeof Count>);

export const KpiBlock = z.object({
  total: KpiSumsSchema,
  byChannel: z.partialRecord(ContactChannel, KpiSumsSchema),
});
export type KpiBlock = z.infer<typeof KpiBlock>;

const Range = z.object({ from: Day, to: Day });

export const KpiReport = z.object({
  team: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string(), fcrWindowDays: z.number().int() }),
  agent: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  period: KpiPeriodSchema,
  ranges: z.object({ current: Range, previous: Range, yearBefore: Range }),
  current: KpiBlock,
  previous: KpiBlock,
  yearBefore: KpiBlock,
  trend: z.array(z.object({ day: Day, total: KpiSumsSchema })),
  /** Team reports: each agent's current-period sums (empty for an agent's own report). */
  agents: z.array(z.object({ id: z.uuid(), displayName: z.string(), total: KpiSumsSchema })),
  /** Epoch ms; the last day of a current period may still be running. */
  generatedAt: z.number(),
});
export type KpiReport = z.infer<typeof KpiReport>;

export const KpiScopes = z.object({
  teams: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      timeZone: z.string(),
      /** Whose figures the caller may open: everyone in the team for a lead or admin, themselves for an agent. */
      agents: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
      /** True when the caller may see the whole team's figures. */
      teamView: z.boolean(),
    }),
  ),
});
export type KpiScopes = z.infer<typeof KpiScopes>;
