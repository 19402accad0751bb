import { useEffect, useRef } from 'react';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Locale } from '../../../core/locale';
import { formatDay } from './kpiFormat';

type ChartProps = { days: string[]; values: (number | null)[]; label: string; format: (v: number) => string; locale: Locale; color: string };

/**
 * A daily trend line drawn with uPlot: canvas, no eval, and the few styles it sets go through the CSSOM
 * (element.style), which the renderer's CSP (style-src 'self') allows; its stylesheet is a bundled file.
 * x: the team's calendar days (as UTC midnights, labelled as such); y: one figure per day, null = no data.
 */
export function KpiTrendChart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const { days, values, label, format, locale, color } = props;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let plot: uPlotType | null = null;
    let resize: ResizeObserver | null = null;
    let gone = false;
    // Loaded when a chart is first shown: its own chunk, and uPlot reads window.matchMedia as it loads.
    void import('uplot').then(({ default: uPlot }) => {
      if (gone) return;
      const p = draw(uPlot, el, { days, values, label, format, locale, color });
      plot = p;
      resize = new ResizeObserver(() => p.setSize({ width: Math.max(320, el.clientWidth), height: 220 }));
      resize.observe(el);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      plot?.destroy();
    };
  }, [days, values, label, format, locale, color]);

  return <div ref={host} className="kpi-chart" role="img" aria-label={label} data-testid="kpi-trend-chart" />;
}

function draw(uPlot: typeof uPlotType, el: HTMLDivElement, { days, values, label, format, locale, color }: ChartProps): uPlotType {
  const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  return new uPlot(
    {
      width: Math.max(320, el.clientWidth || 640),
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: false },
      cursor: { y: false },
      // One day alone (a running week's Monday) gets a day either side, not uPlot's span of years.
      scales: {
        x: { time: true, range: (_u, min, max) => (min === max ? [min - 86_400, max + 86_400] : [min, max]) },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          // Ticks on whole days only (uPlot would put hours between two days, each labelled with the date).
          incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400],
          values: (_u, splits) => splits.map((s) => formatDay(locale, new Date(s * 1000).toISOString().slice(0, 10))),
          stroke: '#8a92a0',
          grid: { stroke: 'rgba(138,146,160,0.15)' },
        },
        { values: (_u, splits) => splits.map((s) => format(s)), stroke: '#8a92a0', size: 64, grid: { stroke: 'rgba(138,146,160,0.15)' } },
      ],
      series: [{}, { label, stroke: color, width: 2, fill: `${color}22`, points: { show: true, size: 5 }, spanGaps: false }],
    },
    [xs, values],
    el,
  );
}
