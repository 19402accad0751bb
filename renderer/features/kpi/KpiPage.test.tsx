// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type KpiSums, emptySums } from '../../../core/kpi/figures';
import type { KpiReport, KpiScopes } from '../../../core/kpi/wire';
import type { Locale } from '../../../core/locale';
import type { KpiService } from '../../services/kpi/kpiService';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { fakeDeps } from '../../../tests/support/renderer/storeFakes';
import { KpiPage } from './KpiPage';

// jsdom has no canvas: the uPlot chart is drawn in the Playwright screenshots, not here.
vi.mock('./KpiTrendChart', () => ({ KpiTrendChart: (p: { label: string }) => <div data-testid="kpi-trend-chart">{p.label}</div> }));

afterEach(cleanup);

const teamId = '11111111-1111-4111-8111-111111111111';
const agentId = '22222222-2222-4222-8222-222222222222';

const sums = (over: Partial<KpiSums>): KpiSums => ({ ...emptySums(), ...over });
const block = (total: KpiSums) => ({ total, byChannel: { webchat: total } });

function reportWith(asked: number, answered: number): KpiReport {
  const current = sums({ handled: 40, answered: 40, talkMs: 40 * 240_000, surveysAsked: asked, surveysAnswered: answered, csatSum: answered * 4, csatSatisfied: answered });
  return {
    team: { id: teamId, name: '上海团队', timeZone: 'Asia/Shanghai', fcrWindowDays: 7 },
    agent: null,
    period: 'week',
    ranges: { current: { from: '2026-11-30', to: '2026-12-06' }, previous: { from: '2026-11-23', to: '2026-11-29' }, yearBefore: { from: '2025-12-01', to: '2025-12-07' } },
    current: block(current),
    previous: block(sums({ handled: 32, answered: 32, talkMs: 32 * 300_000 })),
    yearBefore: block(sums({})),
    trend: [{ day: '2026-11-30', total: current }],
    agents: [{ id: agentId, displayName: '李娜', total: current }],
    generatedAt: Date.now(),
  };
}

const scopes: KpiScopes = { teams: [{ id: teamId, name: '上海团队', timeZone: 'Asia/Shanghai', teamView: true, agents: [{ id: agentId, displayName: '李娜' }] }] };

async function mount(report: KpiReport, locale: Locale = 'en') {
  const { deps } = fakeDeps();
  const kpi: KpiService = { scopes: vi.fn(async () => scopes), report: vi.fn(async () => report), exportCsv: vi.fn(async () => undefined) };
  const store = createAppStore({ ...deps, kpi });
  store.getState().initLocale([locale === 'en' ? 'en-US' : locale]);
  // The agent's own pick on this computer, so the signed-in account's language does not replace it.
  if (locale !== 'en') store.getState().setLocale(locale);
  await act(async () => store.getState().login('agent1', 'switchboard'));
  await act(async () => {
    render(
      <AppStoreProvider store={store}>
        <KpiPage />
      </AppStoreProvider>,
    );
  });
  await screen.findByTestId('kpi-figures');
  return { kpi };
}

describe('KPI page: CSAT validity', () => {
  it('marks CSAT not valid at a 40% response rate, and still shows the figure and the rate', async () => {
    await mount(reportWith(10, 4));
    const card = screen.getByRole('region', { name: 'Customer satisfaction (CSAT)' });
    expect(card.getAttribute('data-valid')).toBe('false');
    expect(within(card).getByRole('note').textContent).toBe('Not valid: response rate 50% or less');
    expect(within(card).getByTestId('kpi-csat-response').textContent).toBe('Response rate 40% (4 of 10 answered)');
    expect(within(card).getByText('4.00 / 5')).toBeTruthy();
  });

  it('shows CSAT as valid at a 60% response rate: no mark', async () => {
    await mount(reportWith(10, 6));
    const card = screen.getByRole('region', { name: 'Customer satisfaction (CSAT)' });
    expect(card.getAttribute('data-valid')).toBe('true');
    expect(within(card).queryByRole('note')).toBeNull();
    expect(within(card).getByTestId('kpi-csat-response').textContent).toBe('Response rate 60% (6 of 10 answered)');
  });

  it('in 简体中文: the mark, 环比 / 同比 on the figures, and the agent row says 无效', async () => {
    await mount(reportWith(10, 5), 'zh-CN');
    const card = screen.getByRole('region', { name: '客户满意度（CSAT）' });
    // Exactly 50% is not enough.
    expect(within(card).getByRole('note').textContent).toBe('无效：回复率不超过 50%');
    const aht = screen.getByRole('region', { name: '平均处理时长' });
    // 4:00 against 5:00 the period before: 20% shorter, shown as better.
    expect(aht.textContent).toContain('环比 −20%');
    expect(aht.querySelector('.kpi-delta--better')).not.toBeNull();
    expect(aht.textContent).toContain('同比 —');
    expect(within(screen.getByTestId('kpi-agents')).getByText(/无效/)).toBeTruthy();
  });
});
