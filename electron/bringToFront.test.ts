import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ BrowserWindow: class {}, screen: {}, app: {} }));
const { bringToFront } = await import('./window');

function fakeWindow(o: { minimized: boolean; focused: boolean }) {
  const handlers: Record<string, () => void> = {};
  return {
    isDestroyed: () => false,
    isMinimized: () => o.minimized,
    isVisible: () => true,
    isFocused: () => o.focused,
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
    flashFrame: vi.fn(),
    once: (event: string, fn: () => void) => void (handlers[event] = fn),
    handlers,
  };
}

describe('bringToFront (a call rings)', () => {
  it('restores a minimised window, and flashes it when the window manager keeps focus elsewhere', () => {
    const win = fakeWindow({ minimized: true, focused: false });
    bringToFront(win as never);
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    expect(win.flashFrame).toHaveBeenCalledWith(true);
    win.handlers.focus?.();
    expect(win.flashFrame).toHaveBeenLastCalledWith(false);
  });

  it('does not flash a window that took focus', () => {
    const win = fakeWindow({ minimized: false, focused: true });
    bringToFront(win as never);
    expect(win.flashFrame).not.toHaveBeenCalled();
  });
});
