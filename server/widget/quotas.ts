import type { ApiErrorCode } from '../../core/wire/auth';
import type { ServerConfig } from '../config';
import { HttpError } from '../http/errors';

/**
 * What the open widget API lets one chat session and one client address do per window: new chats,
 * messages, files and file bytes. The widget is reachable by anyone, so every action that stores
 * something is charged here before it is stored; a refusal is a 429 (count) or 413 (bytes) with a
 * machine code the widget translates, and Retry-After saying when the window ends.
 *
 * Fixed windows that start at a key's first action, in memory (like the login limiter): enough for one
 * server process, no table, and reset on restart. A charge is taken before the work and refunded when the
 * work fails, so concurrent requests cannot slip past a limit and a refused or failed request costs nothing.
 */

export type WidgetQuotaLimits = {
  windowMs: number;
  chatsPerAddress: number;
  messagesPerSession: number;
  messagesPerAddress: number;
  filesPerSession: number;
  filesPerAddress: number;
  fileBytesPerSession: number;
  fileBytesPerAddress: number;
};

export const quotaLimitsFrom = (c: ServerConfig): WidgetQuotaLimits => ({
  windowMs: c.widgetQuotaWindow * 1000,
  chatsPerAddress: c.widgetChatsPerAddress,
  messagesPerSession: c.widgetMessagesPerSession,
  messagesPerAddress: c.widgetMessagesPerAddress,
  filesPerSession: c.widgetFilesPerSession,
  filesPerAddress: c.widgetFilesPerAddress,
  fileBytesPerSession: c.widgetFileBytesPerSession,
  fileBytesPerAddress: c.widgetFileBytesPerAddress,
});

/** A taken charge; refund() gives it back when the action did not happen after all. */
export type Charge = { refund(): void };

export type WidgetQuotas = {
  newChat(address: string): Charge;
  message(session: string, address: string): Charge;
  file(session: string, address: string, bytes: number): Charge;
};

type Entry = { since: number; count: number; bytes: number };
type Scope = { key: string; maxCount: number; maxBytes: number; who: 'chat' | 'address' };

/**
 * The address a quota counts: IPv4 as is (also when IPv4-mapped), IPv6 by its /64, because one
 * subscriber is routinely given a whole /64 and could otherwise take a fresh address per request.
 */
export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (!bare.includes(':')) return bare;
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

const wording = {
  'quota-chats': 'Too many new chats',
  'quota-messages': 'Too many messages',
  'quota-files': 'Too many files',
  'quota-file-bytes': 'Too many file bytes',
} as const satisfies Partial<Record<ApiErrorCode, string>>;
type QuotaCode = keyof typeof wording;

export function createWidgetQuotas(limits: WidgetQuotaLimits, opts: { now?: () => number; maxKeys?: number; log?: (line: string) => void } = {}): WidgetQuotas {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 50_000;
  const entries = new Map<string, Entry>();

  const current = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && now() - entry.since >= limits.windowMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const secondsLeft = (entry: Entry | undefined) => Math.max(1, Math.ceil(((entry?.since ?? now()) + limits.windowMs - now()) / 1000));

  function charge(code: QuotaCode, subject: string, scopes: Scope[], bytes: number): Charge {
    for (const scope of scopes) {
      const entry = current(scope.key);
      const overCount = (entry?.count ?? 0) + 1 > scope.maxCount;
      const overBytes = !overCount && (entry?.bytes ?? 0) + bytes > scope.maxBytes;
      if (!overCount && !overBytes) continue;
      const retry = secondsLeft(entry);
      const what = overBytes ? 'quota-file-bytes' : code;
      const from = scope.who === 'chat' ? 'in this chat' : 'from this address';
      opts.log?.(`${subject}: widget quota ${what} ${from} (limit ${overBytes ? `${scope.maxBytes} bytes` : scope.maxCount}); retry in ${retry} s`);
      throw new HttpError(overBytes ? 413 : 429, what, `${wording[what]} ${from} for now; try again in ${retry} s.`, { 'retry-after': String(retry) });
    }
    const taken = scopes.map((scope) => {
      let entry = current(scope.key);
      if (!entry) {
        // Bounded memory under a spray of sessions: forget the oldest key (a Map keeps insertion order).
        if (entries.size >= maxKeys) entries.delete(entries.keys().next().value!);
        entry = { since: now(), count: 0, bytes: 0 };
        entries.set(scope.key, entry);
      }
      entry.count += 1;
      entry.bytes += bytes;
      return entry;
    });
    let refunded = false;
    return {
      refund() {
        if (refunded) return;
        refunded = true;
        for (const entry of taken) {
          entry.count = Math.max(0, entry.count - 1);
          entry.bytes = Math.max(0, entry.bytes - bytes);
        }
      },
    };
  }

  return {
    newChat: (address) => charge('quota-chats', `address ${address}`, [{ key: `chat:a:${addressKey(address)}`, maxCount: limits.chatsPerAddress, maxBytes: Infinity, who: 'address' }], 0),
    message: (session, address) =>
      charge(
        'quota-messages',
        session,
        [
          { key: `msg:s:${session}`, maxCount: limits.messagesPerSession, maxBytes: Infinity, who: 'chat' },
          { key: `msg:a:${addressKey(address)}`, maxCount: limits.messagesPerAddress, maxBytes: Infinity, who: 'address' },
        ],
        0,
      ),
    file: (session, address, bytes) =>
      charge(
        'quota-files',
        session,
        [
          { key: `file:s:${session}`, maxCount: limits.filesPerSession, maxBytes: limits.fileBytesPerSession, who: 'chat' },
          { key: `file:a:${addressKey(address)}`, maxCount: limits.filesPerAddress, maxBytes: limits.fileBytesPerAddress, who: 'address' },
        ],
        bytes,
      ),
  };
}
