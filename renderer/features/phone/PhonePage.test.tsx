// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { newInboundCall, nextCallState } from '../../../core/call/callMachine';
import { App } from '../../App';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { fakePhone } from '../../../tests/support/renderer/phoneFakes';
import { fakeDeps } from '../../../tests/support/renderer/storeFakes';

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

describe('issue 12 item 9 (dial links ask): a dial link fills the dialer and asks', () => {
  it('issue 12 item 9 (dial links ask): a tel: link fills the dialer and shows the confirmation without calling dial; only the click on Call dials', async () => {
    const { store, fp, emit } = await phoneApp();
    act(() => store.getState().goTo('tickets'));
    await act(async () => emit('app:dial-request', { target: '+4930123456', source: 'link' }));
    expect(store.getState().page).toBe('phone');
    const input = screen.getByLabelText('Number to call') as HTMLInputElement;
    expect(input.value).toBe('+4930123456');
    const prompt = screen.getByTestId('dial-link-prompt');
    expect(prompt.textContent).toContain('A link asks to call this number');
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
    // Enter in the field is not the agent's confirmation: a link that lands while they type cannot borrow it.
    await act(async () => fireEvent.submit(input.closest('form')!));
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
    await act(async () => fireEvent.click(within(prompt).getByRole('button', { name: 'Call +4930123456' })));
    expect(fp.last().phone.dial).toHaveBeenCalledTimes(1);
    expect(fp.last().phone.dial).toHaveBeenCalledWith('+4930123456', expect.objectContaining({ clickAt: expect.any(Number) as number }));
    expect(screen.queryByTestId('dial-link-prompt')).toBeNull();
    expect(store.getState().phone.dialRequest).toBeNull();
  });

  it('issue 12 item 9 (dial links ask): Cancel leaves the number uncalled and the dialer empty', async () => {
    const { fp, emit } = await phoneApp();
    await act(async () => emit('app:dial-request', { target: 'sip:1002@127.0.0.1', source: 'link' }));
    await act(async () => fireEvent.click(screen.getByTestId('dial-link-cancel')));
    expect((screen.getByLabelText('Number to call') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('dial-link-prompt')).toBeNull();
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
  });

  it('issue 12 item 9 (dial links ask): a premium-rate number shows why it is blocked and no button calls it', async () => {
    const { fp, emit } = await phoneApp();
    await act(async () => emit('app:dial-request', { target: '+19005550100', source: 'link' }));
    expect(screen.getByTestId('dial-refused').textContent).toBe(
      'Your organization blocks calls to this number (+19005550100), for example premium-rate numbers. It cannot be dialed from Switchboard.',
    );
    const confirm = screen.getByTestId('dial-link-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await act(async () => fireEvent.click(confirm));
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
  });

  it('issue 12 item 9 (dial links ask): a sip: link to a domain that is not allowed is refused with the domain, in the agent\'s language', async () => {
    const { store, fp, emit } = await phoneApp();
    act(() => store.getState().setLocale('zh-CN'));
    await act(async () => emit('app:dial-request', { target: 'sip:alice@evil.example', source: 'link' }));
    expect(screen.getByTestId('dial-link-prompt').textContent).toContain('有链接请求拨打此号码');
    expect(screen.getByTestId('dial-refused').textContent).toContain('你的组织不允许拨打 SIP 域 evil.example');
    expect((screen.getByTestId('dial-link-confirm') as HTMLButtonElement).disabled).toBe(true);
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
  });

  it('issue 12 item 9 (dial links ask): a blocked number typed on the dial pad shows the reason and Call stays disabled', async () => {
    const { store, fp } = await phoneApp();
    act(() => store.getState().goTo('phone'));
    for (const key of ['0', '9', '0', '0', '1', '2']) fireEvent.keyDown(window, { key });
    expect(screen.getByTestId('dial-refused').getAttribute('data-code')).toBe('blocked-number');
    expect((screen.getByTestId('dial-call') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => fireEvent.submit(screen.getByTestId('dial-call').closest('form')!));
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
  });
});

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
