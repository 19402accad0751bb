// First, so feature stylesheets (imported by the components below) override the base rules, not the reverse.
import './ui/theme.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isCallbackUrl } from '../core/auth/sso';
import { App } from './App';
import { compose } from './app/compose';
import { linkHeadset } from './app/headsetLink';
import { HeadsetProvider } from './features/phone/HeadsetContext';
import type { HidLike } from './services/headset/hidHeadset';
import { DiagnosticsProvider } from './features/diagnostics/DiagnosticsContext';
import { CoachIndicator } from './features/team/CoachIndicator';
import { AppStoreProvider } from './stores/appStore';

async function start(): Promise<void> {
  const { store, diagnostics, info } = await compose(window);
  // The LogLevel policy, as loaded and whenever the agent (or IT) changes it.
  diagnostics.applyPolicy(store.getState().policy);
  store.subscribe((s, prev) => {
    if (s.policy !== prev.policy) diagnostics.applyPolicy(s.policy);
  });
  store.getState().setHostInfo(info);
  // Policy before the locale: a managed DefaultLanguage decides it (renderer/stores/localeSlice.ts).
  await store.getState().loadPolicy();
  store.getState().initLocale(info.osLanguages);
  store.getState().startConnectivity();
  // Started before the first render, so a stored session shows "Restoring…" rather than a login form flash.
  // Back from the company's sign-in page (web mode): finish that sign-in rather than resume. The address
  // drops the code at once, so a reload, the history or a copied link cannot present it again.
  const callbackUrl = isCallbackUrl(window.location.href) ? window.location.href : null;
  if (callbackUrl) window.history.replaceState(null, '', window.location.pathname);
  const session = callbackUrl ? store.getState().completeSso(callbackUrl) : store.getState().startSession();
  store.getState().startPhone();
  // Headset buttons and lights (WebHID): a headset connected before is opened again without asking.
  const headset = linkHeadset(store, (navigator as Navigator & { hid?: HidLike }).hid, diagnostics.log);
  void headset.resume();
  // App updates: status from the host, and call/shift activity to it so an update never restarts mid-call.
  store.getState().startUpdates();

  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <AppStoreProvider store={store}>
        <DiagnosticsProvider diagnostics={diagnostics}>
          <HeadsetProvider headset={headset}>
            <App />
            <CoachIndicator />
          </HeadsetProvider>
        </DiagnosticsProvider>
      </AppStoreProvider>
    </StrictMode>,
  );
  await session;
}

start().catch((err: unknown) => {
  console.error('[app] start failed', err);
});
