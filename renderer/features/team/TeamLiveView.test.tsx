// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveMember, TeamLive } from '../../../core/coaching/wire';
import type { CoachingControls, CoachingState } from '../../services/coaching/coachingService';
import { AppStoreProvider, createAppStore, type AppStore } from '../../stores/appStore';
import { fakeDeps } from '../../../tests/support/renderer/storeFakes';
import { CoachIndicator } from './CoachIndicator';
import { TeamLiveView } from './TeamLiveView';

afterEach(cleanup);

const teamId = '11111111-1111-4111-8111-111111111111';
const agentId = '22222222-2222-4222-8222-222222222222';
const chatId = '33333333-3333-4333-8333-333333333333';
const member: LiveMember = {
  id: agentId,
  displayName: '李娜',
  role: 'agent',
  extension: '1001',
  presence: 'busy',
  presenceSince: Date.now() - 65_000,
  call: { callId: 'c1', remote: '1003', remoteName: 'Wang Fang', direction: 'inbound', startedAt: Date.now() - 42_000, held: false, band: 'poor' },
  openChats: 1,
  chats: [{ id: chatId, customerName: 'Mia' }],
  hand: { raisedAt: Date.now(), note: 'refund question' },
  coach: null,
};
const live: TeamLive = { team: { id: teamId, name: 'Team Shanghai' }, at: Date.now(), members: [member] };

/** Fake coaching controls over the store's coaching slice (what services/coaching/coachingService.ts writes). */
function fakeSession(store: AppStore, initial: Partial<CoachingState>) {
  store.getState().setCoaching({ coached: null, handRaised: false, lead: { status: 'idle' }, team: { teamId, live, error: null, connected: true }, ...initial });
  const session = {
    watchTeam: vi.fn(() => () => {}),
    coach: vi.fn(() => Promise.resolve()),
    setMode: vi.fn(() => Promise.resolve()),
    leave: vi.fn(() => Promise.resolve()),
    raiseHand: vi.fn(() => Promise.resolve()),
    leadRemote: () => null,
  };
  store.getState().setCoachingControls(session as CoachingControls);
  const set = (p: Partial<CoachingState>) => store.getState().setCoaching(p);
  return { session, set };
}

async function mount(initial: Partial<CoachingState>, ui: 'team' | 'indicator' = 'team') {
  const { deps } = fakeDeps();
  const store = createAppStore(deps);
  store.getState().initLocale(['en-US']);
  await act(async () => store.getState().login('agent1', 'switchboard'));
  const fake = fakeSession(store, initial);
  render(<AppStoreProvider store={store}>{ui === 'team' ? <TeamLiveView teamId={teamId} /> : <CoachIndicator />}</AppStoreProvider>);
  return { store, ...fake };
}

describe('Team live view', () => {
  it('shows presence with time in state, the call with duration and line quality, open chats and a raised hand', async () => {
    const { session } = await mount({});
    expect(session.watchTeam).toHaveBeenCalledWith(teamId);
    const row = screen.getByTestId('live-1001');
    expect(row.textContent).toContain('Busy · 1:05');
    expect(within(row).getByTestId('live-call').textContent).toMatch(/Wang Fang · 0:4\d/);
    expect(within(row).getByText('Poor line')).toBeTruthy();
    expect(within(row).getByTestId('live-hand').textContent).toContain('Hand raised');
  });

  it('Listen / Whisper / Barge start coaching on the agent\'s current call; a chat opens in the Inbox', async () => {
    const { session, store } = await mount({});
    fireEvent.click(screen.getByTestId('coach-whisper'));
    expect(session.coach).toHaveBeenCalledWith(agentId, 'c1', 'whisper');
    fireEvent.click(screen.getByTestId('live-chat'));
    expect(store.getState().selectedConversationId).toBe(chatId);
  });

  it('while coaching: the mode is pressed, another mode switches without a new call, Leave leaves', async () => {
    const { session } = await mount({ lead: { status: 'active', agentId, sessionId: '44444444-4444-4444-8444-444444444444', mode: 'listen', switching: false } });
    expect(screen.getByTestId('coach-listen').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('You are listening')).toBeTruthy();
    fireEvent.click(screen.getByTestId('coach-barge'));
    expect(session.setMode).toHaveBeenCalledWith('barge');
    expect(session.coach).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('coach-leave'));
    expect(session.leave).toHaveBeenCalled();
  });
});

describe('agent coach indicator', () => {
  const coached = { sessionId: 's', callId: 'c1', lead: { id: 'l', displayName: '王军' }, mode: 'whisper' as const, showListen: true };

  it('says who is coaching and how', async () => {
    const { set } = await mount({ coached }, 'indicator');
    const el = screen.getByTestId('coach-indicator');
    expect(el.getAttribute('data-mode')).toBe('whisper');
    expect(el.textContent).toBe('王军 is whispering to you (the customer cannot hear)');
    act(() => set({ coached: { ...coached, mode: 'listen' } }));
    expect(screen.getByTestId('coach-indicator').textContent).toBe('王军 is listening to this call');
  });

  it('hides silent listening only where the policy says so', async () => {
    await mount({ coached: { ...coached, mode: 'listen', showListen: false } }, 'indicator');
    expect(screen.queryByTestId('coach-indicator')).toBeNull();
  });
});
