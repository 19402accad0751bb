// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DiagnosticsRequest } from '../../../core/diagnostics/parts';
import { createDiagnostics } from '../../services/log/diagnostics';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { fakeDeps } from '../../../tests/support/renderer/storeFakes';
import { DiagnosticsProvider } from './DiagnosticsContext';
import { DiagnosticsSection } from './DiagnosticsSection';

afterEach(cleanup);

function setup(exportImpl: (r: DiagnosticsRequest) => Promise<{ location: string; bytes: number }>) {
  const fakes = fakeDeps();
  const store = createAppStore(fakes.deps);
  store.getState().initLocale(['en-US']);
  const host = { appendLogs: vi.fn(async () => undefined), exportDiagnostics: vi.fn(exportImpl) };
  const diagnostics = createDiagnostics({ host, appVersion: '0.1.0', hostKind: () => 'browser' });
  vi.spyOn(console, 'info').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  render(
    <AppStoreProvider store={store}>
      <DiagnosticsProvider diagnostics={diagnostics}>
        <DiagnosticsSection />
      </DiagnosticsProvider>
    </AppStoreProvider>,
  );
  return { diagnostics, host };
}

const lines = () => screen.queryAllByTestId('diagnostics-row').map((r) => r.querySelector('.diagnostics__line')!.textContent);

describe('Diagnostics in Settings', () => {
  it('shows new lines live, newest first, redacted, and filters by level and text', () => {
    const { diagnostics } = setup(async () => ({ location: 'x.zip', bytes: 1 }));
    act(() => {
      diagnostics.log('[phone] registration idle -> registering');
      diagnostics.log('[phone] REGISTER failed: 403 with password=hunter22');
      diagnostics.logger.write('error', '[app] uncaught TypeError: x is undefined');
    });
    expect(lines()).toEqual(['[app] uncaught TypeError: x is undefined', '[phone] REGISTER failed: 403 with password=[redacted]', '[phone] registration idle -> registering']);
    fireEvent.change(screen.getByTestId('diagnostics-level'), { target: { value: 'warn' } });
    expect(lines()).toHaveLength(2);
    fireEvent.change(screen.getByTestId('diagnostics-search'), { target: { value: 'REGISTER' } });
    expect(lines()).toEqual(['[phone] REGISTER failed: 403 with password=[redacted]']);
    expect(screen.getByTestId('diagnostics-count').textContent).toBe('Showing 1 of 1 lines');
    fireEvent.change(screen.getByTestId('diagnostics-search'), { target: { value: 'nothing like this' } });
    expect(screen.getByText('No log lines match.')).toBeTruthy();
  });

  it('exports with the SIP trace and call timelines and says where the file went', async () => {
    const { diagnostics, host } = setup(async () => ({ location: '/home/agent/Downloads/Switchboard-diagnostics-20261124-010000.zip', bytes: 40_960 }));
    diagnostics.sipTrace.record('out', 'OPTIONS sip:pbx SIP/2.0\r\n\r\n');
    await act(async () => void fireEvent.click(screen.getByTestId('diagnostics-export')));
    expect(host.exportDiagnostics).toHaveBeenCalledTimes(1);
    const request = host.exportDiagnostics.mock.calls[0]![0];
    expect(request.sipTrace).toHaveLength(1);
    expect(request.versions).toMatchObject({ app: '0.1.0', host: 'browser' });
    expect(request.policyNote).toMatch(/policy:get/);
    expect(screen.getByTestId('diagnostics-export-status').textContent).toBe('Saved /home/agent/Downloads/Switchboard-diagnostics-20261124-010000.zip (40 kB)');
  });

  it('says why an export failed and lets the agent try again', async () => {
    setup(async () => {
      throw new Error('disk full');
    });
    await act(async () => void fireEvent.click(screen.getByTestId('diagnostics-export')));
    expect(screen.getByTestId('diagnostics-export-status').textContent).toBe('Export failed: disk full');
    expect((screen.getByTestId('diagnostics-export') as HTMLButtonElement).disabled).toBe(false);
  });
});
