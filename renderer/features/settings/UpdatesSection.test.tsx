// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../core/update/status';
import { HostError } from '../../services/host/host';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { fakeDeps } from '../../../tests/support/renderer/storeFakes';
import { UpdateHint, UpdatesSection } from './UpdatesSection';

afterEach(cleanup);

const ready: UpdateStatus = {
  state: 'downloaded',
  mode: 'default',
  currentVersion: '1.0.0',
  availableVersion: '2.0.0',
  downloaded: true,
  percent: null,
  blocked: 'in-shift',
  disabled: null,
  error: null,
  window: null,
  lastCheckedAt: null,
};

function show(status: UpdateStatus, locale = 'en-US') {
  const fakes = fakeDeps();
  const store = createAppStore(fakes.deps);
  store.getState().initLocale([locale]);
  store.setState({ update: status });
  render(
    <AppStoreProvider store={store}>
      <UpdatesSection />
      <UpdateHint />
    </AppStoreProvider>,
  );
  return { store, ...fakes };
}

describe('updates in Settings', () => {
  it('a ready update says it waits for the call, and Restart to update is disabled during the call', () => {
    show({ ...ready, blocked: 'in-call' });
    expect(screen.getByTestId('updates-summary').textContent).toBe('Update ready: version 2.0.0. It restarts when you are not on a call. Switchboard never restarts during a call.');
    expect((screen.getByRole('button', { name: 'Restart to update' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('status-update').textContent).toBe('Update ready');
  });

  it('Restart to update asks the host, and shows its refusal', async () => {
    const t = show({ ...ready, mode: 'manual', blocked: 'awaiting-agent' });
    t.host.installUpdate.mockRejectedValueOnce(new HostError('not-allowed', 'A call is active'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Restart to update' })));
    expect(t.host.installUpdate).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('alert').textContent).toBe('Not restarted: A call is active');
  });

  it('window mode names the window and offers no restart outside it', () => {
    show({ ...ready, mode: 'window', blocked: 'outside-window', window: { start: '22:00', end: '02:00' } });
    expect(screen.getByTestId('updates-summary').textContent).toMatch(/between 22:00 and 02:00/);
    expect((screen.getByRole('button', { name: 'Restart to update' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a failed verification tells the agent they stay on their version, in Chinese too', () => {
    const failed: UpdateStatus = { ...ready, state: 'error', downloaded: false, availableVersion: null, blocked: null, error: { kind: 'verification', message: 'sha512 checksum mismatch' } };
    show(failed, 'zh-CN');
    expect(screen.getByTestId('updates-summary').textContent).toBe('下载的更新未通过安全校验，没有安装。你仍在使用版本 1.0.0，稍后会再试。');
    expect(screen.queryByTestId('status-update')).toBeNull();
    expect(screen.queryByRole('button', { name: '重启以更新' })).toBeNull();
  });

  it('in a browser there is nothing to update', () => {
    show({ ...ready, state: 'unsupported', mode: 'none', downloaded: false, availableVersion: null, blocked: null });
    expect(screen.getByTestId('updates-summary').textContent).toMatch(/nothing to install/);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
