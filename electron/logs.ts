import { appendFile, mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { formatLogEntry } from '../core/diagnostics/logLine';
import type { LogEntry } from '../core/diagnostics/parts';
import { redactText } from '../core/diagnostics/redact';
import type { LogFile } from '../core/diagnostics/archive';

/**
 * The desktop app's log files in userData/logs: main.log, rotated to main.1.log … main.<keep-1>.log when
 * it would pass `maxBytes`, so the whole set stays under keep × maxBytes however long the app runs. Both
 * the renderer (through `logs:append`) and main write here, in arrival order.
 *
 * A page that logs in a loop (a bug, or a hostile page) must not fill the disk or evict the last hour of
 * useful lines: a byte budget per minute drops the excess and says how much it dropped once the budget
 * returns. Lines are redacted again here; the renderer redacted them already, main's own lines were not.
 */

export type FsLike = {
  appendFile(file: string, data: string): Promise<void>;
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  size(file: string): Promise<number>;
  mkdirp(dir: string): Promise<void>;
};

export const nodeFs: FsLike = {
  appendFile: (f, d) => appendFile(f, d, { encoding: 'utf8', mode: 0o600 }),
  readFile: (f, e) => readFile(f, e),
  rename: (a, b) => rename(a, b),
  unlink: (f) => unlink(f),
  size: async (f) => (await stat(f)).size,
  mkdirp: async (d) => void (await mkdir(d, { recursive: true, mode: 0o700 })),
};

export type RotatingLogOptions = {
  dir: string;
  fs?: FsLike;
  maxBytes?: number;
  /** Files kept, counting main.log. */
  keep?: number;
  bytesPerMinute?: number;
  now?: () => number;
};

export type RotatingLog = {
  append(entries: readonly LogEntry[]): Promise<void>;
  /** Main's own lines (already formatted by its callers as `[area] text`). */
  write(level: LogEntry['level'], line: string): void;
  /** Every file, oldest first, for the diagnostics archive. Waits for pending writes. */
  files(): Promise<LogFile[]>;
};

const isMissing = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';

export function createRotatingLog(options: RotatingLogOptions): RotatingLog {
  const fs = options.fs ?? nodeFs;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = Math.max(1, options.keep ?? 5);
  const bytesPerMinute = options.bytesPerMinute ?? 2 * 1024 * 1024;
  const now = options.now ?? (() => Date.now());
  const fileOf = (i: number): string => path.join(options.dir, i === 0 ? 'main.log' : `main.${i}.log`);

  let size: number | null = null;
  let budget = bytesPerMinute;
  let budgetAt = now();
  let dropped = 0;
  // One write at a time, in order: appends and rotations must not interleave.
  let queue: Promise<void> = Promise.resolve();
  const serial = (job: () => Promise<void>): Promise<void> => {
    queue = queue.then(job).catch((err: unknown) => {
      // A log that cannot be written must never take the app down; stderr is all that is left.
      console.warn(`[logs] write failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return queue;
  };

  async function rotate(): Promise<void> {
    for (let i = keep - 1; i >= 1; i--) {
      try {
        if (i === keep - 1) await fs.unlink(fileOf(i));
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
      try {
        await fs.rename(fileOf(i - 1), fileOf(i));
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
    size = 0;
  }

  async function writeText(text: string): Promise<void> {
    let current: number;
    if (size === null) {
      await fs.mkdirp(options.dir);
      current = await fs.size(fileOf(0)).catch((e: unknown) => (isMissing(e) ? 0 : Promise.reject(e instanceof Error ? e : new Error(String(e)))));
    } else current = size;
    const bytes = Buffer.byteLength(text);
    if (current > 0 && current + bytes > maxBytes) {
      await rotate();
      current = 0;
    }
    await fs.appendFile(fileOf(0), text);
    size = current + bytes;
  }

  /** Token bucket refilled every minute; returns what may be written now (possibly with a "dropped" note). */
  function admit(text: string, lines: number): string | null {
    const t = now();
    if (t - budgetAt >= 60_000) {
      budget = bytesPerMinute;
      budgetAt = t;
    }
    const bytes = Buffer.byteLength(text);
    if (bytes > budget) {
      dropped += lines;
      return null;
    }
    budget -= bytes;
    if (dropped === 0) return text;
    const note = `${formatLogEntry({ at: t, level: 'warn', line: `[logs] ${dropped} line(s) dropped: more than ${bytesPerMinute} bytes a minute` })}\n`;
    dropped = 0;
    return note + text;
  }

  function append(entries: readonly LogEntry[]): Promise<void> {
    const text = entries.map((e) => `${formatLogEntry({ ...e, line: redactText(e.line) })}\n`).join('');
    const admitted = admit(text, entries.length);
    if (admitted === null) return Promise.resolve();
    return serial(() => writeText(admitted));
  }

  return {
    append,
    write(level, line) {
      void append([{ at: now(), level, line }]);
    },
    async files() {
      await queue;
      const out: LogFile[] = [];
      for (let i = keep - 1; i >= 0; i--) {
        try {
          out.push({ name: path.basename(fileOf(i)), text: await fs.readFile(fileOf(i), 'utf8') });
        } catch (e) {
          if (!isMissing(e)) throw e;
        }
      }
      return out;
    },
  };
}
