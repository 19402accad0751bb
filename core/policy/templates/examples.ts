import type { PolicyValues } from '../schema';

/**
 * An example value for every policy, as IT would write it: the macOS profile template and the sample
 * Linux policy file carry these, so an admin edits a working file instead of starting blank. Typed by
 * PolicyValues, so each value passes the schema at compile time as far as types go (tests check the rest).
 */
export const policyExamples: PolicyValues = {
  ServerUrl: 'https://switchboard.example.com',
  SipWebSocketUrl: 'wss://sip.example.com:7443',
  SipDomain: 'example.com',
  TurnServers: [{ urls: 'turns:turn.example.com:443?transport=tcp', username: 'switchboard', credential: 'change-me' }],
  RelayOnlyTls443: false,
  AutoAnswer: false,
  EchoCancellation: true,
  NoiseSuppression: true,
  AutoGainControl: true,
  ReadinessCheck: { mode: 'required', allowOverride: false, echoExtension: '9196', maxRttMs: 400, maxJitterMs: 50, maxLossPct: 5, minMos: 3.6 },
  AllowedSipDomains: ['partner.example.com'],
  BlockedNumberPatterns: ['^\\+?1?900', '^\\+44 ?9', '^0900'],
  UpdateMode: 'window',
  UpdateWindow: { start: '02:00', end: '05:00' },
  UpdateFeedUrl: 'https://updates.example.com/switchboard/',
  AllowCallRecording: false,
  AllowWebMode: true,
  SilentListeningVisible: true,
  PasswordLoginEnabled: true,
  LogLevel: 'info',
  StartAtLogin: true,
  DefaultLanguage: 'zh-CN',
};
