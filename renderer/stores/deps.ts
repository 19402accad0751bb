import type { ReadinessProbes } from './readinessSlice';
import type { Api } from '../services/api/api';
import type { Host } from '../services/host/host';
import type { KpiService } from '../services/kpi/kpiService';
import type { AdminService } from '../services/admin/adminService';
import type { ReviewService } from '../services/review/reviewService';
import type { SsoService } from '../services/sso/ssoService';
import type { BoardFeeds } from '../services/board/boardFeed';
import type { PhoneDeps } from './phoneSlice';

/** The small part of Web Storage the store remembers preferences in (localStorage in the app). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The browser's own idea of connectivity (navigator.onLine + online/offline events). */
export type NetworkMonitor = {
  isOnline(): boolean;
  subscribe(listener: (online: boolean) => void): () => void;
};

export type StoreDeps = {
  host: Host;
  api: Api;
  storage: KeyValueStorage;
  network: NetworkMonitor;
  /** How often the server's /health is probed while the browser believes it is online. */
  healthProbeMs?: number;
  log?: (line: string) => void;
  /** The softphone and its ports; without it the phone stays "not configured". */
  phone?: PhoneDeps;
  /** Single sign-on with the company's identity provider; without it the login screen offers passwords only. */
  sso?: SsoService;
  /** KPI reports (server /kpi); without it the KPI page says it is not available. */
  kpi?: KpiService;
  /** The admin console (server /admin); without it the console says it is not available. */
  admin?: AdminService;
  /** Conversation review (server /review); without it the review page says it is not available. */
  review?: ReviewService;
  /** The wallboard's realtime feeds; without it no wallboard is watched. */
  boardFeeds?: BoardFeeds;
  /** The readiness check's measurements (renderer/services/readiness/probes.ts by default; fakes in unit tests). */
  readinessProbes?: ReadinessProbes;
  /** The app cannot be seen (page hidden, window minimised): a call that rings out then was missed "in the background". */
  isHidden?: () => boolean;
};

export const storageKeys = {
  locale: 'switchboard.locale',
  /**
   * 'off': the screens keep the OS languages' guess after sign-in instead of the account's language. The
   * end-to-end suites written before issue 15 set it (playwright configs' storageState), because they sign
   * in Chinese-speaking demo accounts and read English labels.
   */
  localeFollowsAccount: 'switchboard.locale-follows-account',
  presence: 'switchboard.presence',
  defaultPresence: 'switchboard.presence-default',
  /** The public profile of the last user who signed in online (never a token): offers "continue offline". */
  offlineUser: 'switchboard.offline-user',
  /** 'off': SLA alarms come without a tone (banner and notification still show). */
  slaSound: 'switchboard.sla-sound',
} as const;

export function browserNetwork(win: Window = window): NetworkMonitor {
  return {
    isOnline: () => win.navigator.onLine,
    subscribe(listener) {
      const on = () => listener(true);
      const off = () => listener(false);
      win.addEventListener('online', on);
      win.addEventListener('offline', off);
      return () => {
        win.removeEventListener('online', on);
        win.removeEventListener('offline', off);
      };
    },
  };
}
