import { z } from 'zod';
import { IceServer } from '../wire/sip';
import { Locale } from '../locale';
import { defaultReadinessPolicy, ReadinessPolicy } from '../readiness/readiness';

/**
 * The one managed-policy schema (VS Code's design): every policy IT can set is declared here once, and
 * the Windows ADMX/ADML templates, the macOS configuration profile and the Linux policy file's JSON
 * schema are generated from this list (build/policy/). A policy missing from any of them fails a test.
 *
 * Names are PascalCase, as they appear as registry values under HKLM\Software\Policies\Switchboard
 * (mandatory) and HKCU\Software\Policies\Switchboard (user defaults), as keys of the macOS managed
 * preferences domain, and as keys of /etc/switchboard/policy.json.
 */

const httpUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s]*)?$/i, 'must be an http:// or https:// URL');
const wsUrl = z
  .string()
  .max(2048)
  .regex(/^wss?:\/\/[^\s/?#]+(\/[^\s]*)?$/i, 'must be a ws:// or wss:// URL');
/** A SIP domain, or `*.` and a domain for it and every subdomain. */
const sipDomainPattern = z
  .string()
  .max(253)
  .regex(/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'must be a domain name, optionally starting with *.');
const numberPattern = z
  .string()
  .min(1)
  .max(200)
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, 'must be a regular expression');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');

export const UpdateMode = z.enum(['default', 'manual', 'none', 'window']);
export type UpdateMode = z.infer<typeof UpdateMode>;

/** Local time window in which updates may install, e.g. 02:00–05:00; `end` before `start` spans midnight. */
export const UpdateWindow = z.object({ start: hhmm, end: hhmm });
export type UpdateWindow = z.infer<typeof UpdateWindow>;

export const LogLevel = z.enum(['error', 'warn', 'info', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

/** How the platform templates present a value: drives ADMX element types and profile/JSON schema types. */
export type PolicyKind = 'string' | 'boolean' | 'enum' | 'json';

export type PolicyCategory = 'connection' | 'calls' | 'updates' | 'features' | 'sign-in' | 'app';

type Definition<S extends z.ZodType> = {
  schema: S;
  kind: PolicyKind;
  category: PolicyCategory;
  /** English description; ADML for zh-CN / zh-TW carries translations (build/policy). */
  description: string;
  /** Built-in default when neither policy nor user sets it. */
  default: z.infer<S>;
  /** The user may change it in Settings when no mandatory policy sets it. */
  userSettable: boolean;
};

const define = <S extends z.ZodType>(d: Definition<S>): Definition<S> => d;

export const policies = {
  ServerUrl: define({
    schema: httpUrl,
    kind: 'string',
    category: 'connection',
    description: 'Address of the central Switchboard server (https://switchboard.example.com).',
    default: 'http://127.0.0.1:7600',
    userSettable: true,
  }),
  SipWebSocketUrl: define({
    schema: wsUrl.nullable(),
    kind: 'string',
    category: 'calls',
    description: 'SIP-over-WebSocket endpoint of the PBX (wss://sip.example.com:7443). Unset: the server provisions it.',
    default: null,
    userSettable: true,
  }),
  SipDomain: define({
    schema: z.string().max(253).regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name').nullable(),
    kind: 'string',
    category: 'calls',
    description: 'SIP domain of agent addresses (sip:1001@example.com). Unset: the server provisions it.',
    default: null,
    userSettable: true,
  }),
  TurnServers: define({
    schema: z.array(IceServer).max(16).nullable(),
    kind: 'json',
    category: 'calls',
    description: 'TURN/STUN servers as a JSON array of RTCIceServer objects. Unset: the server provisions them.',
    default: null,
    userSettable: false,
  }),
  RelayOnlyTls443: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'calls',
    description: 'Send call media only through TURN over TLS on port 443 (for networks that block UDP).',
    default: false,
    userSettable: false,
  }),
  AutoAnswer: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'calls',
    description: 'Answer incoming calls automatically, with a short tone in the headset (queue agents). A call that arrives during another call still rings.',
    default: false,
    userSettable: true,
  }),
  EchoCancellation: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'calls',
    description: "Echo cancellation on the agent's microphone (removes the caller's voice coming back from the speakers). Turn off only for a headset that cancels echo itself.",
    default: true,
    userSettable: true,
  }),
  NoiseSuppression: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'calls',
    description: "Noise suppression on the agent's microphone (fans, traffic, a steady hum). Turn off for a headset that suppresses noise itself.",
    default: true,
    userSettable: true,
  }),
  AutoGainControl: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'calls',
    description: "Automatic gain on the agent's microphone (a quiet or distant voice is brought up to a steady level).",
    default: true,
    userSettable: true,
  }),
  AllowedSipDomains: define({
    schema: z.array(sipDomainPattern).max(100),
    kind: 'json',
    category: 'calls',
    description:
      'Domains a sip: link may call, as a JSON array (["example.com","*.partner.example"]). The agent\'s own SIP domain is always allowed; empty: only it.',
    default: [],
    userSettable: false,
  }),
  BlockedNumberPatterns: define({
    schema: z.array(numberPattern).max(100),
    kind: 'json',
    category: 'calls',
    description:
      'Numbers that are never dialed, as a JSON array of regular expressions matched against the number without spaces or dashes (premium-rate prefixes by default).',
    default: ['^\\+?1?900', '^\\+44 ?9', '^0900'],
    userSettable: false,
  }),
  ReadinessCheck: define({
    schema: ReadinessPolicy,
    kind: 'json',
    category: 'calls',
    description:
      'The readiness check before going Available, as JSON: {"mode":"required","allowOverride":false,"echoExtension":"9196","maxRttMs":400,"maxJitterMs":50,"maxLossPct":5,"minMos":3.6}. mode off, recommended (offered, never blocks) or required (a failed check keeps the agent out of Available unless allowOverride).',
    default: defaultReadinessPolicy,
    userSettable: false,
  }),
  UpdateMode: define({
    schema: UpdateMode,
    kind: 'enum',
    category: 'updates',
    description: 'default: install when idle; manual: the agent installs; none: never check; window: install only inside UpdateWindow.',
    default: 'default',
    userSettable: false,
  }),
  UpdateWindow: define({
    schema: UpdateWindow.nullable(),
    kind: 'json',
    category: 'updates',
    description: 'Local time window for installing updates, as JSON {"start":"02:00","end":"05:00"}.',
    default: null,
    userSettable: false,
  }),
  UpdateFeedUrl: define({
    schema: httpUrl.nullable(),
    kind: 'string',
    category: 'updates',
    description: 'Update feed (electron-updater generic provider). Unset: no updates are checked.',
    default: null,
    userSettable: false,
  }),
  AllowCallRecording: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'features',
    description: 'Agents may record calls locally.',
    default: false,
    userSettable: false,
  }),
  AllowWebMode: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'features',
    description: 'Agents may use Switchboard in a web browser as well as the desktop app.',
    default: true,
    userSettable: false,
  }),
  SilentListeningVisible: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'features',
    description: 'Agents see when a team lead is listening to their call.',
    default: true,
    userSettable: false,
  }),
  PasswordLoginEnabled: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'sign-in',
    description: 'Agents may sign in with a password. Turn off to require single sign-on.',
    default: true,
    userSettable: false,
  }),
  LogLevel: define({
    schema: LogLevel,
    kind: 'enum',
    category: 'app',
    description: 'Detail of the logs kept for diagnostics: error, warn, info or debug.',
    default: 'info',
    userSettable: true,
  }),
  StartAtLogin: define({
    schema: z.boolean(),
    kind: 'boolean',
    category: 'app',
    description: 'Start Switchboard when the user signs in to the computer.',
    default: false,
    userSettable: true,
  }),
  DefaultLanguage: define({
    schema: Locale.nullable(),
    kind: 'enum',
    category: 'app',
    description: 'Language of the app (en, zh-CN, zh-TW). Unset: the operating system language.',
    default: null,
    userSettable: true,
  }),
} as const;

export type PolicyName = keyof typeof policies;
export const policyNames = Object.keys(policies) as PolicyName[];
export type PolicyValues = { [K in PolicyName]: z.infer<(typeof policies)[K]['schema']> };

/** Where an effective value came from, most binding first. */
export const PolicySource = z.enum(['machine-policy', 'user', 'user-policy-default', 'default']);
export type PolicySource = z.infer<typeof PolicySource>;

/** A partial set of values from one source; unknown or invalid keys are reported, never applied. */
export const PolicyLayer = z.object(
  Object.fromEntries(policyNames.map((n) => [n, policies[n].schema.optional()])) as {
    [K in PolicyName]: z.ZodOptional<(typeof policies)[K]['schema']>;
  },
);
export type PolicyLayer = Partial<PolicyValues>;

export const EffectivePolicy = z.object({
  values: z.object(
    Object.fromEntries(policyNames.map((n) => [n, policies[n].schema])) as { [K in PolicyName]: (typeof policies)[K]['schema'] },
  ),
  /** Per policy, the layer its value came from; `machine-policy` means locked (shown as managed). */
  sources: z.record(z.enum(policyNames as [PolicyName, ...PolicyName[]]), PolicySource),
  /** Problems reading policy sources (malformed file, invalid value): shown in Settings and diagnostics. */
  problems: z.array(z.string().max(1000)).max(100),
});
export type EffectivePolicy = {
  values: PolicyValues;
  sources: Record<PolicyName, PolicySource>;
  problems: string[];
};
