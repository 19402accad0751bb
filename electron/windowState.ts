import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * Where the main window was, so it reopens where the agent left it. The file is ours but lives on disk
 * where anything can touch it, so it is parsed with a schema and a bad file means defaults, not a crash.
 * On restore the bounds are clamped to a display that exists now: a laptop that was docked to a second
 * monitor yesterday must not open its window off-screen today.
 */
export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export type Rect = { x: number; y: number; width: number; height: number };

export const defaultWindowState: WindowState = { width: 1280, height: 800, maximized: false };
export const minWindowSize = { width: 800, height: 560 };
/** The title bar strip (height) of which at least half, and this much width, must be on a display. */
const minVisible = { width: 120, height: 40 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Fits a saved state to the displays' work areas (primary first). The size never exceeds the work area
 * it lands on; a position whose title bar is not visible on any display is dropped, so the window
 * centres on the primary display.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0];
  if (!primary) return state;
  const fit = (area: Rect) => ({
    width: Math.max(Math.min(state.width, area.width), Math.min(minWindowSize.width, area.width)),
    height: Math.max(Math.min(state.height, area.height), Math.min(minWindowSize.height, area.height)),
  });
  if (state.x !== undefined && state.y !== undefined) {
    const titleBar: Rect = { x: state.x, y: state.y, width: state.width, height: minVisible.height };
    const home = workAreas.find((area) => {
      const o = overlap(titleBar, area);
      return o.width >= Math.min(minVisible.width, state.width) && o.height >= minVisible.height / 2;
    });
    if (home) {
      const size = fit(home);
      const x = Math.min(Math.max(state.x, home.x), home.x + home.width - size.width);
      const y = Math.min(Math.max(state.y, home.y), home.y + home.height - size.height);
      return { ...size, x, y, maximized: state.maximized };
    }
  }
  return { ...fit(primary), maximized: state.maximized };
}

export async function loadWindowState(file: string, log: (line: string) => void = (l) => console.warn(l)): Promise<WindowState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return defaultWindowState;
  }
  try {
    const parsed = WindowState.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    log(`[window-state] ${file} does not match the schema; using defaults`);
  } catch {
    log(`[window-state] ${file} is not JSON; using defaults`);
  }
  return defaultWindowState;
}

/** Write-then-rename, so a crash mid-write leaves the previous file rather than half a file. */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * The same, synchronously: for the window's 'close', after which the app may exit before an async
 * write would finish. The file is a few dozen bytes.
 */
export function saveWindowStateSync(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}
