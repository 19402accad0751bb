import { type KpiFigures, type KpiSums, figuresOf } from '../../core/kpi/figures';
import type { KpiReport } from '../../core/kpi/wire';

/**
 * A KPI report as CSV for Excel and scripts: UTF-8 with a byte-order mark (without it Excel reads the file
 * in the system's ANSI code page and Chinese names come out garbled), CRLF rows (RFC 4180), numbers with a
 * dot and no grouping whatever the viewer's locale, durations in seconds, shares in percent.
 */
const header = [
  'section',
  'team',
  'agent',
  'from',
  'to',
  'handled',
  'handled_webchat',
  'handled_messaging',
  'handled_email',
  'handled_voice',
  'aht_seconds',
  'asa_seconds',
  'fcr_percent',
  'csat_average',
  'csat_satisfied_percent',
  'csat_response_rate_percent',
  'csat_valid',
  'transfer_rate_percent',
  'sla_met_percent',
  'occupancy_percent',
];

const num = (v: number | null, scale = 1): string => (v === null ? '' : String(Math.round(v * scale * 100) / 100));

/** Quotes a field when it needs it; a leading = + - @ is defused so a name cannot become a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function row(section: string, report: KpiReport, agent: string, from: string, to: string, f: KpiFigures): string[] {
  return [
    section,
    report.team.name,
    agent,
    from,
    to,
    String(f.handled),
    String(f.handledByChannel.webchat ?? 0),
    String(f.handledByChannel.messaging ?? 0),
    String(f.handledByChannel.email ?? 0),
    String(f.handledByChannel.voice ?? 0),
    num(f.ahtMs, 0.001),
    num(f.asaMs, 0.001),
    num(f.fcr, 100),
    num(f.csat.average),
    num(f.csat.satisfied, 100),
    num(f.csat.responseRate, 100),
    f.csat.valid ? 'yes' : 'no',
    num(f.transferRate, 100),
    num(f.slaMet, 100),
    num(f.occupancy, 100),
  ];
}

export function reportCsv(report: KpiReport): string {
  const who = report.agent?.displayName ?? '';
  const lines: string[][] = [header];
  const { ranges } = report;
  lines.push(row('current', report, who, ranges.current.from, ranges.current.to, figuresOf(report.current.total, report.current.byChannel)));
  lines.push(row('previous', report, who, ranges.previous.from, ranges.previous.to, figuresOf(report.previous.total, report.previous.byChannel)));
  lines.push(row('year_before', report, who, ranges.yearBefore.from, ranges.yearBefore.to, figuresOf(report.yearBefore.total, report.yearBefore.byChannel)));
  for (const d of report.trend) lines.push(row('day', report, who, d.day, d.day, figuresOf(d.total)));
  for (const a of report.agents) lines.push(row('agent', report, a.displayName, ranges.current.from, ranges.current.to, figuresOf(a.total as KpiSums)));
  return `\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}
