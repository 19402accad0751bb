// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { newInboundCall, nextCallState } from '../../../core/call/callMachine';
import { App } from '../../App';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { fakePhone } from '../../stores/phoneTestKit';
import { fakeDeps } from '../../stores/testDeps';

afterEach(cleanup);

async function phoneApp() {
  const fakes = fakeDeps();
  const fp = fakePhone();
  const store = createAppStore({
    ...fakes.deps,
    phone: {
      createPhone: fp.create,
      customers: {
        byPhone: async (n) => (n === '+8613800138000' ? { id: 'c1', name: '王芳', phone: '+8613800138000' } : undefined),
        openTickets: async () => [{ id: 't1', number: 1042, subject: 'Refund not received', status: 'open' }],
      },
    },
  });
  store.getState().initLocale(['en-US']);
  store.getState().startPhone();
  await act(async () => store.getState().login('agent1', 'switchboard'));
  act(() => fp.last().delegate.onRegistration({ kind: 'registered', expiresSec: 300 }));
  render(
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>,
  );
  return { store, fp, ...fakes };
}

describe('Phone page', () => {
  it('digits typed on the page fill the dial pad and Enter calls', async () => {
    const { store, fp } = await phoneApp();
    act(() => store.getState().goTo('phone'));
    for (const key of ['1', '0', '0', '2']) fireEvent.keyDown(window, { key });
    const input = screen.getByLabelText('Number to call') as HTMLInputElement;
    expect(input.value).toBe('1002');
    await act(async () => fireEvent.submit(input.closest('form')!));
    expect(fp.last().phone.dial).toHaveBeenCalledWith('1002', expect.objectContaining({ clickAt: expect.any(Number) as number }));
    expect(screen.getByTestId('call-card').textContent).toContain('Calling…');
  });

  it('rings over any page with the caller pop; Ctrl+Enter answers', async () => {
    const { store, fp } = await phoneApp();
    act(() => store.getState().goTo('tickets'));
    const call = newInboundCall('in1', { uri: 'sip:+8613800138000@pbx' }, 'rfc4733', 1);
    await act(async () => {
      fp.last().delegate.onCallState(call.id, call);
      fp.last().delegate.onIncoming({ callId: call.id, remote: call.remote, otherCallActive: false });
    });
    const banner = screen.getByRole('alertdialog');
    expect(banner.textContent).toContain('Incoming call from 王芳');
    expect(within(banner).getByRole('button', { name: 'Open ticket #1042' })).toBeTruthy();
    await act(async () => void fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true }));
    expect(fp.last().phone.answer).toHaveBeenCalledWith('in1');
  });

  it('an answered call still connecting keeps its banner, still, and takes no second answer', async () => {
    const { fp } = await phoneApp();
    const call = newInboundCall('in3', { uri: 'sip:1003@pbx' }, 'rfc4733', 1);
    await act(async () => fp.last().delegate.onCallState(call.id, call));
    expect(screen.getByRole('alertdialog').querySelector('.incoming__pulse')).not.toBeNull();
    const answered = nextCallState(call, { type: 'answer', at: 2 });
    if (!answered.ok) throw new Error('answer');
    await act(async () => fp.last().delegate.onCallState(call.id, answered.call));
    const banner = screen.getByRole('alertdialog');
    expect(banner.getAttribute('aria-busy')).toBe('true');
    expect(banner.querySelector('.incoming__pulse')).toBeNull();
    expect((within(banner).getByTestId('incoming-answer') as HTMLButtonElement).disabled).toBe(true);
    expect((within(banner).getByTestId('incoming-decline') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => void fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true }));
    expect(fp.last().phone.answer).not.toHaveBeenCalled();
  });

  it('a poor call says so, and wrap-up needs a disposition before it can finish', async () => {
    const { store, fp } = await phoneApp();
    act(() => store.getState().goTo('phone'));
    const d = fp.last().delegate;
    let call = newInboundCall('in2', { uri: 'sip:1003@pbx', displayName: 'Customer' }, 'rfc4733', 1);
    const step = (e: Parameters<typeof nextCallState>[1]) => {
      const r = nextCallState(call, e);
      if (!r.ok) throw new Error(e.type);
      call = r.call;
      d.onCallState(call.id, call);
    };
    await act(async () => {
      d.onCallState(call.id, call);
      step({ type: 'answer', at: 2 });
      step({ type: 'established', at: 3 });
      d.onQuality('in2', { at: 4, rttMs: 600, jitterMs: 80, lossPct: 12, mos: 2.1, band: 'poor', bytesIn: 5000, bytesOut: 5000, codec: 'opus' });
    });
    expect(screen.getByTestId('quality-warning').textContent).toMatch(/Poor call quality/);
    await act(async () => step({ type: 'ended', at: 60_003, reason: { kind: 'remote-hangup' } }));
    const done = screen.getByTestId('wrapup-done') as HTMLButtonElement;
    expect(done.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Disposition'), { target: { value: 'callback' } });
    expect(done.disabled).toBe(false);
    await act(async () => fireEvent.click(done));
    expect(screen.queryByTestId('wrapup')).toBeNull();
    expect(store.getState().presence).toBe('available');
  });
});
