import { version } from '../../package.json';
import { applyIcePolicy } from '../../core/policy/ice';
import { createPhonePorts } from '../services/phone/phonePorts';
import { translate } from '../i18n/i18n';
import { createApi } from '../services/api/api';
import { createKpiService } from '../services/kpi/kpiService';
import { createAdminService } from '../services/admin/adminService';
import { createReviewService } from '../services/review/reviewService';
import { createChatPart } from '../services/chat/chatPart';
import { createBoardFeeds } from '../services/board/boardFeed';
import { openBrowserSocket } from '../services/realtime/browserSocket';
import type { PresenceChoice } from '../services/chat/chatService';
import { createCoachingService } from '../services/coaching/coachingService';
import { createTeamLiveFeeds } from '../services/coaching/teamLiveFeed';
import type { HostInfo } from '../../core/ipc';
import { detectHost } from '../services/host/host';
import { createDiagnostics, type Diagnostics } from '../services/log/diagnostics';
import { createUserSession } from '../services/session/userSession';
import { createSsoService, webSsoCrypto } from '../services/sso/ssoService';
import { createSlaPart } from '../services/sla/slaPart';
import { createVoiceFirst } from '../services/sync/voiceFirst';
import { createMoodPart } from '../services/mood/moodPart';
import { createSyncPart } from '../services/sync/syncPart';
import { alarmNotice } from '../features/sla/alarmText';
import { createAppStore, type AppStore } from '../stores/appStore';
import { selectLiveReport } from '../stores/coachingSlice';
import { browserNetwork } from '../stores/deps';
import { installDebugHooks } from './debugHooks';
import { followSignedInUser } from './followUser';

export type App = { store: AppStore; diagnostics: Diagnostics; info: HostInfo };

/**
 * The one composition root. Services are built first, in order, each from what is above it; then the store,
 * given the services it calls; then the services' reports are connected to the store (the phone needs
 * coaching's INVITE hook and the sync part's services before the store exists, so those two report through
 * `connect`); then the per-user parts are registered with the user session, which follows the store's user.
 */
export async function compose(win: Window): Promise<App> {
  // 1. The host and the log (first, so every line from here on is redacted and kept).
  const host = detectHost(version);
  const info = await host.getInfo();
  // The readiness result lives in the store, which is built below: read late.
  let storeRef: AppStore | null = null;
  const diagnostics = createDiagnostics({
    host,
    appVersion: version,
    hostKind: () => info.kind,
    policy: () => host.getPolicy(),
    storage: win.localStorage,
    win,
    readiness: () => storeRef?.getState().readiness.result ?? null,
  });
  const log = diagnostics.log;
  const baseUrl = info.serverUrl ?? win.location.origin;
  const setTimer = (fn: () => void, ms: number) => {
    const id = win.setTimeout(fn, ms);
    return () => win.clearTimeout(id);
  };

  // 2. Services that need no store. The user session learns of a lost session from the API directly.
  const session = createUserSession({ setTimeout: setTimer, log });
  const sessionLost: Array<() => void> = [];
  const api = createApi({
    baseUrl,
    onSessionLost: () => sessionLost.forEach((f) => f()),
    tokens: {
      load: () => host.getSecret('auth.refresh-token'),
      save: (token) => host.setSecret('auth.refresh-token', token),
      clear: () => host.deleteSecret('auth.refresh-token'),
    },
  });
  // Voice first: while a call is live, the first sync's bulk download waits (the phone reports calls below).
  // 'off' in localStorage (switchboard.voice-first) turns it off: bench/voiceFirst.mjs measures both ways.
  const voiceFirst = createVoiceFirst({ enabled: () => win.localStorage.getItem('switchboard.voice-first') !== 'off', log });
  const syncPart = createSyncPart({ api, host, baseUrl, win, log, whileOnCall: () => voiceFirst.whileOnCall() });
  // A socket's auth: `me` renews an expired access token on its way (the API's 401 path) before the socket uses it.
  const socketToken = async () => {
    await api.me();
    const token = api.accessToken();
    if (token === null) throw new Error('no access token');
    return token;
  };
  const teamFeeds = createTeamLiveFeeds({ open: (path) => openBrowserSocket(baseUrl, path), token: socketToken, setTimeout: setTimer, log });
  const coaching = createCoachingService({ api, host, log, teamFeeds });
  // Coaching INVITEs reach coaching before the phone sees them.
  const phone = createPhonePorts({ services: () => syncPart.current(), callLog: () => session.current()?.callLog ?? null, missedCalls: () => session.current()?.missedCalls ?? null, log, sipTrace: diagnostics.sipTrace, tapDelegate: diagnostics.calls.tap, interceptInvite: (inv, calls) => coaching.agentCoach.intercept(inv, calls) });
  // sessionStorage: the sign-in attempt survives the web app's round trip to the provider, and no more than the tab.
  const sso = createSsoService({ api, host, storage: win.sessionStorage, crypto: webSsoCrypto() });

  // 3. The store, given the services it calls.
  const boardFeeds = createBoardFeeds({
    open: (path) => openBrowserSocket(baseUrl, path),
    token: socketToken,
    setTimeout: setTimer,
    now: () => Date.now(),
    log,
  });
  const store = createAppStore({
    host,
    api,
    storage: win.localStorage,
    network: browserNetwork(),
    log,
    phone,
    sso,
    kpi: createKpiService(api, win.document),
    admin: createAdminService(api),
    review: createReviewService(api),
    boardFeeds,
    isHidden: () => win.document.visibilityState === 'hidden',
  });
  storeRef = store;
  sessionLost.push(() => store.getState().sessionLost());

  store.subscribe((s, prev) => {
    if (s.phone.calls !== prev.phone.calls) voiceFirst.setCallLive(s.phone.calls.some((v) => v.call.state !== 'wrap-up'));
  });

  // 4. Services report to the store.
  syncPart.connect({
    onServices: (services) => store.getState().setTicketsServices(services),
    onEngineState: (state) => store.getState().syncEngineChanged(state),
  });
  coaching.connect({
    state: () => store.getState().coaching,
    publish: (patch) => store.getState().setCoaching(patch),
    onControls: (controls) => store.getState().setCoachingControls(controls),
    liveReport: () => selectLiveReport(store.getState()),
    onReportInputs: (listener) =>
      store.subscribe((s, prev) => {
        if (s.presence !== prev.presence || s.phone.calls !== prev.phone.calls || s.user !== prev.user) listener();
      }),
    // The lead's media obeys the same TURN / relay-only policy as the softphone's.
    applyIcePolicy: (account) => ({ ...account, ...applyIcePolicy(account.iceServers, store.getState().policy.values) }),
    handNotice: (m) => {
      const locale = store.getState().locale;
      return { title: translate(locale, 'coach.handNoticeTitle', { name: m.displayName }), body: m.hand?.note ?? translate(locale, 'coach.handNoticeBody') };
    },
  });
  const chatPart = createChatPart({
    api,
    host,
    baseUrl,
    win,
    log,
    delegate: {
      onServices: (chat) => store.getState().setChatServices(chat),
      onConnected: (connected) => store.getState().setChatConnected(connected),
      isOfferShown: (id) => store.getState().chatOffers.some((o) => o.conversationId === id),
      onOffer: (offer) => store.getState().addChatOffer(offer),
      onOfferGone: (id) => store.getState().removeChatOffer(id),
      onCustomerTyping: (id, until) => store.getState().setCustomerTyping(id, until),
      presence: () => ({ presence: store.getState().presence, reasonId: store.getState().presenceReason }),
      onPresenceChange: (listener: (p: PresenceChoice) => void) =>
        store.subscribe((s, prev) => {
          if (s.presence !== prev.presence || s.presenceReason !== prev.presenceReason) listener({ presence: s.presence, reasonId: s.presenceReason });
        }),
    },
  });

  const slaPart = createSlaPart({
    api,
    host,
    baseUrl,
    win,
    log,
    delegate: {
      onList: (alarms) => store.getState().setAlarms(alarms),
      onAlarm: (alarm) => store.getState().alarmArrived(alarm),
      onUpdated: (alarm) => store.getState().alarmUpdated(alarm),
      onConnected: (connected) => store.getState().setAlarmsConnected(connected),
      onSignedOut: () => store.getState().clearAlarms(),
      soundOn: () => store.getState().slaSound,
      notice: (alarm) => alarmNotice(store.getState().locale, alarm),
    },
  });

  const moodPart = createMoodPart({
    api,
    baseUrl,
    win,
    log,
    delegate: {
      onList: (alerts) => store.getState().setMoodAlerts(alerts),
      onAlert: (alert) => store.getState().moodAlertArrived(alert),
      onUpdated: (alert) => store.getState().moodAlertUpdated(alert),
      onSignedOut: () => store.getState().clearMoodAlerts(),
    },
  });

  // 5. The per-user parts, one line each, started in this order at sign-in and stopped in reverse.
  session.register(syncPart);
  session.register(chatPart);
  session.register(coaching.part);
  session.register(slaPart);
  session.register(moodPart);

  followSignedInUser(store, session);

  installDebugHooks({ win, api, host, store, coaching, log });
  return { store, diagnostics, info };
}
