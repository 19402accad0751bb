import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { PolicyLayer } from '../../core/policy/schema';

/** One policy source read: the values it sets and what was wrong with it. Reading never throws. */
export type SourceRead = { layer: PolicyLayer; problems: string[] };
export const emptyRead = (): SourceRead => ({ layer: {}, problems: [] });

export type RunResult = { code: number | null; stdout: string; stderr: string };
/** Runs a program without a shell (arguments are never interpreted), for `reg` and `plutil`. */
export type RunCommand = (file: string, args: readonly string[]) => Promise<RunResult>;
/** Reads a UTF-8 file; resolves null when it does not exist. */
export type ReadText = (path: string) => Promise<string | null>;

export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve) => {
    // A wedged `reg` or `plutil` must not hold the app's start: 5 s, then it counts as a failed read.
    execFile(file, [...args], { timeout: 5_000, maxBuffer: 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? error.message : '') });
    });
  });

export const readText: ReadText = async (path) => {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

/** Merges layers, later ones winning key by key. */
export function mergeReads(...reads: SourceRead[]): SourceRead {
  return reads.reduce<SourceRead>((acc, r) => ({ layer: { ...acc.layer, ...r.layer }, problems: [...acc.problems, ...r.problems] }), emptyRead());
}
