// First, so feature stylesheets (imported by the components below) override the base rules, not the reverse.
import './ui/theme.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { version } from '../package.json';
import { isCallbackUrl } from '../core/auth/sso';
import { App } from './App';
import { DiagnosticsProvider } from './features/diagnostics/DiagnosticsContext';
import { ChatSessionProvider } from './features/inbox/ChatSessionContext';
import { createChatSession } from './features/inbox/chatSession';
import { createPhonePorts } from './features/phone/phonePorts';
import { CoachIndicator } from './features/team/CoachIndicator';
import { CoachingProvider } from './features/team/CoachingContext';
import { createCoachingSession, type CoachingSession } from './features/team/coachingSession';
import { SyncSessionProvider } from './features/tickets/SyncSessionContext';
import { createSyncSession } from './features/tickets/syncSession';
import { createApi } from './services/api/api';
import { CoachCallError, startCoachCall } from './services/coaching/leadCoach';
import { detectHost, HostError } from './services/host/host';
import type { PolicyName } from '../core/policy/schema';
import { createSsoService, webSsoCrypto } from './services/sso/ssoService';
import { createDiagnostics } from './services/log/diagnostics';
import { AppStoreProvider, createAppStore } from './stores/appStore';
import { browserNetwork } from './stores/deps';
import { translate } from './i18n/i18n';

async function start(): Promise<void> {
  const host = detectHost(version);
  const info = await host.getInfo();
  // First, so every line from here on is redacted, kept for the log viewer and written to the host's log files.
  const diagnostics = createDiagnostics({ host, appVersion: version, hostKind: () => info.kind, policy: () => host.getPolicy(), storage: window.localStorage, win: window });
  // The store is created after the API it depends on; the API reports a lost session back to it.
  let onSessionLost = () => {};
  const baseUrl = info.serverUrl ?? window.location.origin;
  const api = createApi({
    baseUrl,
    onSessionLost: () => onSessionLost(),
    tokens: {
      load: () => host.getSecret('auth.refresh-token'),
      save: (token) => host.setSecret('auth.refresh-token', token),
      clear: () => host.deleteSecret('auth.refresh-token'),
    },
  });
  const log = diagnostics.log;
  // The phone reads the signed-in user's cache and outbox through the sync session, created just below.
  // Coaching INVITEs reach the coaching session (created once the store exists) before the phone.
  let coaching: CoachingSession | null = null;
  const phone = createPhonePorts({ services: () => syncSession.getSnapshot().services, log, sipTrace: diagnostics.sipTrace, tapDelegate: diagnostics.calls.tap, interceptInvite: (inv, calls) => coaching?.agentCoach.intercept(inv, calls) ?? false });
  // sessionStorage: the sign-in attempt survives the web app's round trip to the provider, and no more than the tab.
  const sso = createSsoService({ api, host, storage: window.sessionStorage, crypto: webSsoCrypto() });
  const store = createAppStore({ host, api, storage: window.localStorage, network: browserNetwork(), translate, log, phone, sso });
  onSessionLost = () => store.getState().sessionLost();
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
  // Follows the store's user: the sync engine runs while someone is signed in (or working offline).
  const syncSession = createSyncSession({ store, api, host, baseUrl });
  store.getState().startPhone();
  // App updates: status from the host, and call/shift activity to it so an update never restarts mid-call.
  store.getState().startUpdates();
  // Chat follows the store's user too: realtime socket, message outbox, presence on the server.
  const chatSession = createChatSession({ store, api, host, baseUrl, log });
  const coachingSession = createCoachingSession({ store, api, host, log });
  coaching = coachingSession;
  // Read-only coaching audio for the e2e spectral checks, only when the flag is set (never in a normal run).
  if (window.localStorage.getItem('switchboard.debug-coaching') === '1') {
    const c = coachingSession;
    Object.assign(window, {
      switchboardCoaching: () => ({ agentEar: c.agentCoach.mixer?.agentEar ?? null, toCustomer: c.agentCoach.mixer?.toCustomer ?? null, leadEar: c.leadRemote() }),
      // A coaching INVITE with whatever grant the test brings (or none): resolves to the SIP status.
      switchboardCoachDial: async (extension: string, grant: string | null) => {
        try {
          const call = await startCoachCall({ account: await api.sipAccount(), extension, grant, mode: 'listen', onEnded: () => {}, log });
          await call.leave();
          return 200;
        } catch (e) {
          return e instanceof CoachCallError ? e.status : -1;
        }
      },
    });
  }
  // The raw policy:set-user channel for the policy e2e (a locked setting is refused by the host, not just the UI); only with the flag.
  if (window.localStorage.getItem('switchboard.debug-policy') === '1') {
    Object.assign(window, {
      switchboardSetUserPolicy: (name: PolicyName, value: unknown) =>
        host.setUserPolicy(name, value).then(
          () => 'ok',
          (e: unknown) => (e instanceof HostError ? e.code : 'error'),
        ),
    });
  }
  // Read-only call timings for bench/call.mjs, only when a developer sets the flag (never in a normal run).
  if (window.localStorage.getItem('switchboard.debug-calls') === '1') {
    Object.assign(window, { switchboardDebugCalls: () => store.getState().phone.calls.map((v) => ({ id: v.call.id, state: v.call.state, direction: v.call.direction, marks: { ...v.call.marks } })) });
  }

  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <AppStoreProvider store={store}>
        <DiagnosticsProvider diagnostics={diagnostics}>
          <SyncSessionProvider session={syncSession}>
            <ChatSessionProvider session={chatSession}>
              <CoachingProvider session={coachingSession}>
                <App />
                <CoachIndicator />
              </CoachingProvider>
            </ChatSessionProvider>
          </SyncSessionProvider>
        </DiagnosticsProvider>
      </AppStoreProvider>
    </StrictMode>,
  );
  await session;
}

start().catch((err: unknown) => {
  console.error('[app] start failed', err);
});
