import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clampToDisplays, defaultWindowState, loadWindowState, saveWindowState } from './windowState';

const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('clampToDisplays', () => {
  it('keeps a window that is on a display that still exists', () => {
    const state = { x: 2000, y: 100, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(state, [laptop, rightMonitor])).toEqual(state);
  });

  it('drops a position on a monitor that was unplugged, so the window centres on the primary', () => {
    const clamped = clampToDisplays({ x: 2000, y: 100, width: 1200, height: 800, maximized: true }, [laptop]);
    expect(clamped).toEqual({ width: 1200, height: 800, maximized: true });
  });

  it('shrinks a window bigger than the display it lands on and pulls it fully inside', () => {
    const clamped = clampToDisplays({ x: 600, y: -5, width: 3000, height: 2000, maximized: false }, [laptop]);
    expect(clamped).toEqual({ x: 0, y: 0, width: 1440, height: 860, maximized: false });
  });

  it('treats a window whose title bar is above every display as off-screen', () => {
    const clamped = clampToDisplays({ x: 100, y: -700, width: 1000, height: 720, maximized: false }, [laptop]);
    expect(clamped.x).toBeUndefined();
  });
});

describe('window state file', () => {
  it('round-trips and falls back to defaults for a missing, non-JSON or wrong-shaped file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sb-ws-'));
    const file = path.join(dir, 'nested', 'window-state.json');
    const quiet = () => undefined;
    expect(await loadWindowState(file, quiet)).toEqual(defaultWindowState);
    await saveWindowState(file, { x: 10, y: 20, width: 900, height: 600, maximized: true });
    expect(await loadWindowState(file, quiet)).toEqual({ x: 10, y: 20, width: 900, height: 600, maximized: true });
    await writeFile(file, '{not json');
    expect(await loadWindowState(file, quiet)).toEqual(defaultWindowState);
    await writeFile(file, JSON.stringify({ width: -1, height: 'tall' }));
    expect(await loadWindowState(file, quiet)).toEqual(defaultWindowState);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ width: -1, height: 'tall' });
  });
});
