// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../App';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { demoUser, fakeDeps } from '../../../tests/support/renderer/storeFakes';

afterEach(cleanup);

async function signedIn(role: 'agent' | 'lead') {
  const fakes = fakeDeps();
  fakes.api.login.mockResolvedValue({ accessToken: 'a', expiresIn: 900, refreshToken: 'r', user: { ...demoUser, role } });
  fakes.api.roster.mockResolvedValue({ team: { id: 't1', name: 'Support' }, members: [{ id: 'u9', displayName: 'Bo Lead', role: 'lead', extension: '1005' }] });
  const store = createAppStore(fakes.deps);
  store.getState().initLocale(['en-US']);
  await store.getState().login('x', 'switchboard');
  render(
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>,
  );
  return { store, ...fakes };
}

describe('shell', () => {
  it('shows the login form with named fields, and a clear error for bad credentials', async () => {
    const fakes = fakeDeps();
    const store = createAppStore(fakes.deps);
    render(
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>,
    );
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'agent1' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' })));
    expect(screen.getByRole('alert').textContent).toMatch(/username or password is not right/);
    expect(screen.getByRole('combobox', { name: 'Language' })).toBeTruthy();
  });

  it('an agent gets the rail without Team but with KPIs (their own figures); a page key goes to that page', async () => {
    await signedIn('agent');
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    const names = within(nav).getAllByRole('button').map((b) => b.textContent);
    expect(names).toEqual(['Inbox', 'Phone', 'Tickets', 'Replies', 'Alarms', 'KPIs', 'Settings']);
    expect(within(nav).getByRole('button', { name: /Inbox/ }).getAttribute('aria-current')).toBe('page');
    act(() => void fireEvent.keyDown(window, { key: '3', code: 'Digit3', altKey: true }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tickets');
  });

  it('a lead sees Team with the roster: name, role and extension', async () => {
    await signedIn('lead');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /Team/ })));
    const table = screen.getByRole('table');
    expect(within(table).getByText('Bo Lead')).toBeTruthy();
    expect(within(table).getByText('Team lead')).toBeTruthy();
    expect(within(table).getByText('1005')).toBeTruthy();
  });

  it('the status bar names presence, phone and sync, and presence keys change it and the tray', async () => {
    const { host } = await signedIn('agent');
    const presence = screen.getByRole('combobox', { name: 'Presence' }) as HTMLSelectElement;
    expect(presence.value).toBe('available');
    expect(screen.getByRole('status', { name: 'Phone status' }).textContent).toContain('Phone: not registered');
    expect(screen.getByRole('status', { name: 'Sync status' }).textContent).toContain('Online');
    act(() => void fireEvent.keyDown(window, { key: 'B', code: 'KeyB', altKey: true, shiftKey: true }));
    expect(presence.value).toBe('busy');
    expect(host.setTrayPresence).toHaveBeenLastCalledWith('busy');
  });

  it('switching the language in Settings re-labels the app and sets <html lang>', async () => {
    await signedIn('agent');
    act(() => void fireEvent.click(screen.getByRole('button', { name: /Settings/ })));
    act(() => void fireEvent.change(screen.getByRole('combobox', { name: 'Language' }), { target: { value: 'zh-TW' } }));
    expect(document.documentElement.lang).toBe('zh-TW');
    expect(screen.getByRole('navigation', { name: '主要導覽' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '登出' })).toBeTruthy();
  });

  it('Sign out returns to the login screen', async () => {
    const { secrets } = await signedIn('agent');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign out' })));
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(secrets.has('auth.refresh-token')).toBe(false);
  });
});
