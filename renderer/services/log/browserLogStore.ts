import { archiveName, diagnosticsFiles, zipDiagnostics, type LogFile } from '../../../core/diagnostics/archive';
import { formatLogEntry } from '../../../core/diagnostics/logLine';
import type { DiagnosticsRequest, DiagnosticsSaved, LogEntry } from '../../../core/diagnostics/parts';
import { redactText } from '../../../core/diagnostics/redact';

/**
 * The browser host's stand-in for the desktop app's rotated log files: a few size-capped segments in
 * localStorage (main.log, main.1.log, …), so logs survive a reload (the agent reloads, then exports).
 * localStorage is small (about 5 MB per origin, shared with the app's settings), so the whole ring is
 * capped well below it; a write that still does not fit drops the oldest segment and tries once more.
 * Lines arrive redacted from the logger; they are redacted again here like main does.
 */

export type BrowserLogStore = {
  append(entries: readonly LogEntry[]): void;
  files(): LogFile[];
};

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function createBrowserLogStore(storage: StorageLike, opts: { segmentChars?: number; keep?: number; prefix?: string } = {}): BrowserLogStore {
  const segmentChars = opts.segmentChars ?? 200_000;
  const keep = Math.max(1, opts.keep ?? 4);
  const prefix = opts.prefix ?? 'diagnostics.log.';
  const key = (i: number): string => `${prefix}${i}`;
  const name = (i: number): string => (i === 0 ? 'main.log' : `main.${i}.log`);
  const read = (i: number): string => storage.getItem(key(i)) ?? '';

  /** Each segment is removed before it is written one slot up, so rotating never needs more quota. */
  function rotate(): void {
    storage.removeItem(key(keep - 1));
    for (let i = keep - 1; i >= 1; i--) {
      const older = storage.getItem(key(i - 1));
      if (older === null) continue;
      storage.removeItem(key(i - 1));
      try {
        storage.setItem(key(i), older);
      } catch {
        // Cannot happen with the space just freed, unless another tab wrote meanwhile: lose that segment.
      }
    }
  }

  function write(text: string): void {
    let current = read(0);
    if (current.length > 0 && current.length + text.length > segmentChars) {
      rotate();
      current = '';
    }
    try {
      storage.setItem(key(0), current + text.slice(-segmentChars));
    } catch {
      // Quota: give up the oldest history rather than the newest lines.
      rotate();
      try {
        storage.setItem(key(0), text.slice(-segmentChars));
      } catch {
        // Storage is full of something else; the in-memory ring (the log viewer) still has the lines.
      }
    }
  }

  return {
    append(entries) {
      if (entries.length === 0) return;
      write(entries.map((e) => `${formatLogEntry({ ...e, line: redactText(e.line) })}\n`).join(''));
    },
    files() {
      const out: LogFile[] = [];
      for (let i = keep - 1; i >= 0; i--) {
        const text = read(i);
        if (text) out.push({ name: name(i), text });
      }
      return out;
    },
  };
}

/** `diagnostics:export` in a browser: the same archive as the desktop app, handed to the browser as a download. */
export function downloadDiagnostics(input: {
  request: DiagnosticsRequest;
  logs: BrowserLogStore;
  knownSecrets: readonly string[];
  win: Window;
  now?: number;
}): DiagnosticsSaved {
  const createdAt = input.now ?? Date.now();
  const nav = input.win.navigator;
  const files = diagnosticsFiles({
    request: input.request,
    hostVersions: { host: 'web browser', userAgent: nav.userAgent, platform: nav.platform || 'unknown' },
    logs: input.logs.files(),
    knownSecrets: input.knownSecrets,
    createdAt,
  });
  const zip = zipDiagnostics(files, createdAt);
  const name = archiveName(createdAt);
  const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
  const a = input.win.document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  input.win.document.body.append(a);
  a.click();
  a.remove();
  // Revoked later, not now: Chromium starts the download asynchronously after click().
  input.win.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { location: name, bytes: zip.length };
}
