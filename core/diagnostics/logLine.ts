import type { LogLevel } from '../policy/schema';
import type { LogEntry } from './parts';

/** Levels from most to least severe; a logger at level L keeps entries at L and above. */
export const logLevels: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
export const levelKept = (entry: LogLevel, threshold: LogLevel): boolean => logLevels.indexOf(entry) <= logLevels.indexOf(threshold);

/**
 * The app's many `log(line)` sites predate levels and say what happened in prose; this sorts them into
 * warn (something went wrong) or info, so a LogLevel of `warn` set by policy still keeps the failures.
 */
const failureWords = /\b(fail(?:ed|s|ure)?|refused|error|warn(?:ing)?|dropped|cannot|could not|lost|dead|unusable|unreachable|not sent|threw|rejected|timed? ?out)\b/i;
export const levelOfLine = (line: string): LogLevel => (failureWords.test(line) ? 'warn' : 'info');

/** One line of a .log file: ISO time, level padded to 5, the (already redacted) text on one line. */
export function formatLogEntry(entry: LogEntry): string {
  const at = Number.isFinite(entry.at) ? new Date(entry.at).toISOString() : '????-??-??T??:??:??.???Z';
  return `${at} ${entry.level.toUpperCase().padEnd(5)} ${entry.line.replace(/\r?\n/g, '\n    ')}`;
}
