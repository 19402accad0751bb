import { vi } from 'vitest';
import type { EventChannel, EventPayload, HostInfo, SecretKey } from '../../../core/ipc';
import { resolvePolicy } from '../../../core/policy/effective';
import type { PolicyName } from '../../../core/policy/schema';
import type { TeamRoster, User } from '../../../core/wire/auth';
import { unsupportedStatus, type UpdateActivity } from '../../../core/update/status';
import type { SsoConfig, SsoExchangeRequest } from '../../../core/wire/sso';
import { ApiError, type Api } from '../../../renderer/services/api/api';
import type { Host } from '../../../renderer/services/host/host';
import type { KeyValueStorage, NetworkMonitor, StoreDeps } from '../../../renderer/stores/deps';

/** Fakes for the store's injected deps; shared by the slice tests. */
export const demoUser: User = {
  id: 'u1',
  username: 'agent1',
  displayName: 'Ada Agent',
  role: 'agent',
  teams: [{ id: 't1', name: 'Support' }],
  language: 'en',
  extension: '1001',
};

export function fakeHost(info: Partial<HostInfo> = {}) {
  const secrets = new Map<SecretKey, string>();
  const listeners = new Map<EventChannel, Set<(p: unknown) => void>>();
  const host = {
    getInfo: vi.fn(async () => ({ kind: 'browser', appVersion: '0.0.0', platform: 'test', osLanguages: ['en-US'], serverUrl: null, ...info }) as HostInfo),
    setLocale: vi.fn(async () => undefined),
    getPolicy: vi.fn(async () => resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} })),
    setUserPolicy: vi.fn(async (_name: PolicyName, _value: unknown) => resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} })),
    getSecret: vi.fn(async (k: SecretKey) => secrets.get(k) ?? null),
    setSecret: vi.fn(async (k: SecretKey, v: string) => void secrets.set(k, v)),
    deleteSecret: vi.fn(async (k: SecretKey) => void secrets.delete(k)),
    openLink: vi.fn(async () => undefined),
    notify: vi.fn(async () => undefined),
    setTrayPresence: vi.fn(async () => undefined),
    bringToFront: vi.fn(async () => undefined),
    setFullScreen: vi.fn(async (_on: boolean) => undefined),
    getUpdateStatus: vi.fn(async () => unsupportedStatus('0.0.0')),
    installUpdate: vi.fn(async () => undefined),
    setUpdateActivity: vi.fn(async (_activity: UpdateActivity) => undefined),
    appendLogs: vi.fn(async () => undefined),
    exportDiagnostics: vi.fn(async () => ({ location: 'diagnostics.zip', bytes: 0 })),
    ssoBegin: vi.fn(async () => ({ redirectUri: 'http://127.0.0.1:7611/' })),
    ssoAuthorize: vi.fn(async (_url: string): Promise<string | null> => null),
    on: <E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  } satisfies Host;
  const emit = (event: EventChannel, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { host, secrets, emit };
}

export function fakeApi(host: Host) {
  const api = {
    login: vi.fn(async (username: string, password: string) => {
      if (password !== 'switchboard') throw new ApiError(401, 'bad-credentials', 'wrong username or password');
      await host.setSecret('auth.refresh-token', 'refresh-1');
      return { accessToken: 'a1', expiresIn: 900, refreshToken: 'refresh-1', user: { ...demoUser, username } };
    }),
    resume: vi.fn(async () => (await host.getSecret('auth.refresh-token')) !== null),
    ssoConfig: vi.fn(async (): Promise<SsoConfig> => ({ passwordLoginEnabled: true, sso: null, ssoProblem: null })),
    ssoExchange: vi.fn(async (_request: SsoExchangeRequest) => {
      await host.setSecret('auth.refresh-token', 'refresh-sso');
      return { accessToken: 'a-sso', expiresIn: 900, refreshToken: 'refresh-sso', user: demoUser };
    }),
    logout: vi.fn(async () => host.deleteSecret('auth.refresh-token')),
    me: vi.fn(async () => demoUser),
    roster: vi.fn(async (_teamId: string): Promise<TeamRoster> => ({ team: { id: 't1', name: 'Support' }, members: [] })),
    health: vi.fn(async () => ({ status: 'ok' as const, db: 'pglite' as const, version: '0.0.0' })),
    sipAccount: vi.fn(async () => ({ wsUri: 'ws://127.0.0.1:8080', sipUri: 'sip:1001@127.0.0.1', authUser: '1001', password: 'test1001', displayName: 'Ada Agent', iceServers: [] })),
    postJson: vi.fn(async (_path: string, _body: unknown): Promise<unknown> => ({})),
    getJson: vi.fn(async (_path: string): Promise<unknown> => ({})),
    getText: vi.fn(async (_path: string): Promise<string> => ''),
    deleteJson: vi.fn(async (_path: string): Promise<unknown> => undefined),
    putJson: vi.fn(async (_path: string, _body: unknown): Promise<unknown> => undefined),
    patchJson: vi.fn(async (_path: string, _body: unknown): Promise<unknown> => undefined),
    accessToken: vi.fn((): string | null => 'a1'),
  } satisfies Api;
  return api;
}

export function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

export function fakeNetwork(initial = true) {
  let online = initial;
  const listeners = new Set<(online: boolean) => void>();
  const network: NetworkMonitor = {
    isOnline: () => online,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const set = (value: boolean) => {
    online = value;
    listeners.forEach((l) => l(value));
  };
  return { network, set };
}

export function fakeDeps() {
  const { host, secrets, emit } = fakeHost();
  const api = fakeApi(host);
  const storage = memoryStorage();
  const net = fakeNetwork();
  const deps: StoreDeps = { host, api, storage, network: net.network };
  return { deps, host, api, secrets, emit, storage, net };
}
