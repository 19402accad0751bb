import { levelKept, levelOfLine } from '../../../core/diagnostics/logLine';
import { LOG_BATCH_MAX, LOG_LINE_MAX, type LogEntry } from '../../../core/diagnostics/parts';
import { redactText } from '../../../core/diagnostics/redact';
import type { LogLevel } from '../../../core/policy/schema';

/**
 * The renderer's logger. Every line is redacted when it is captured (a token or password never sits in
 * the ring, the viewer or a log file), kept in a bounded ring for the in-app log viewer, mirrored to the
 * developer console, and handed to the host in batches (`logs:append`): rotated files in the desktop app,
 * a bounded localStorage ring in a browser. The level comes from the LogLevel policy.
 *
 * Batching: one IPC call a second (or at LOG_BATCH_MAX entries) rather than one per line; a host that
 * fails (main restarting) loses that batch, never blocks the app, and is not logged through itself.
 */

export type LogSink = (entries: LogEntry[]) => Promise<void>;
type ConsoleLike = Pick<Console, 'error' | 'warn' | 'info' | 'debug'>;

export type LoggerOptions = {
  sink?: LogSink;
  console?: ConsoleLike | null;
  level?: LogLevel;
  /** Entries kept for the viewer. */
  capacity?: number;
  flushMs?: number;
  now?: () => number;
  /** Secrets known right now (the current access token): removed as literals too. */
  knownSecrets?: () => readonly string[];
  setTimer?: (fn: () => void, ms: number) => unknown;
};

export type Logger = {
  /** For the app's existing `log(line)` sites: the level is read from the wording (core/diagnostics/logLine). */
  log(line: string): void;
  write(level: LogLevel, line: string): void;
  setLevel(level: LogLevel): void;
  level(): LogLevel;
  /** The ring, oldest first. The same array until something is logged (for useSyncExternalStore). */
  entries(): readonly LogEntry[];
  subscribe(listener: () => void): () => void;
  /** Hands pending entries to the sink now. */
  flush(): Promise<void>;
  setSink(sink: LogSink): void;
};

const PENDING_MAX = 2000;

export function createLogger(opts: LoggerOptions = {}): Logger {
  const capacity = opts.capacity ?? 2000;
  const flushMs = opts.flushMs ?? 1000;
  const now = opts.now ?? (() => Date.now());
  const out = opts.console === undefined ? console : opts.console;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  let sink = opts.sink ?? null;
  let level: LogLevel = opts.level ?? 'info';
  let ring: LogEntry[] = [];
  let snapshot: readonly LogEntry[] = [];
  let dirty = false;
  let pending: LogEntry[] = [];
  let timer: unknown = null;
  const listeners = new Set<() => void>();

  const notify = (): void => {
    dirty = true;
    for (const l of listeners) l();
  };

  async function flush(): Promise<void> {
    timer = null;
    if (!sink || pending.length === 0) return;
    const batch = pending;
    pending = [];
    for (let i = 0; i < batch.length; i += LOG_BATCH_MAX) {
      await sink(batch.slice(i, i + LOG_BATCH_MAX)).catch(() => undefined);
    }
  }

  function write(entryLevel: LogLevel, raw: string): void {
    if (!levelKept(entryLevel, level)) return;
    const line = redactText(raw.length > LOG_LINE_MAX * 2 ? raw.slice(0, LOG_LINE_MAX * 2) : raw, opts.knownSecrets?.() ?? []).slice(0, LOG_LINE_MAX);
    const entry: LogEntry = { at: now(), level: entryLevel, line };
    ring.push(entry);
    if (ring.length > capacity) ring = ring.slice(-capacity);
    pending.push(entry);
    if (pending.length > PENDING_MAX) pending = pending.slice(-PENDING_MAX);
    out?.[entryLevel === 'debug' ? 'debug' : entryLevel](line);
    notify();
    if (pending.length >= LOG_BATCH_MAX) void flush();
    else if (timer === null) timer = setTimer(() => void flush(), flushMs);
  }

  return {
    log: (line) => write(levelOfLine(line), line),
    write,
    setLevel(next) {
      level = next;
    },
    level: () => level,
    entries() {
      if (dirty) {
        snapshot = [...ring];
        dirty = false;
      }
      return snapshot;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush,
    setSink(next) {
      sink = next;
      if (pending.length > 0 && timer === null) timer = setTimer(() => void flush(), 0);
    },
  };
}

/** Uncaught errors and rejections are exactly what a diagnostics log is for; they go in as errors. */
export function captureUncaught(win: Pick<Window, 'addEventListener' | 'removeEventListener'>, logger: Logger): () => void {
  const describe = (value: unknown): string => (value instanceof Error ? `${value.name}: ${value.message}${value.stack ? `\n${value.stack.split('\n').slice(1, 6).join('\n')}` : ''}` : String(value));
  const onError = (e: ErrorEvent): void => logger.write('error', `[app] uncaught ${describe(e.error ?? e.message)}`);
  const onRejection = (e: PromiseRejectionEvent): void => logger.write('error', `[app] unhandled rejection ${describe(e.reason)}`);
  win.addEventListener('error', onError);
  win.addEventListener('unhandledrejection', onRejection);
  return () => {
    win.removeEventListener('error', onError);
    win.removeEventListener('unhandledrejection', onRejection);
  };
}
