import { describe, expect, it, vi } from 'vitest';

const made = vi.hoisted(() => ({ trays: [] as Array<{ setToolTip: ReturnType<typeof vi.fn>; setImage: ReturnType<typeof vi.fn> }>, menus: [] as unknown[] }));
vi.mock('electron', () => {
  class Tray {
    setImage = vi.fn();
    setToolTip = vi.fn();
    setContextMenu = vi.fn();
    on = vi.fn();
    destroy = vi.fn();
    constructor() {
      made.trays.push(this);
    }
  }
  return {
    Tray,
    Menu: { buildFromTemplate: (t: unknown) => made.menus.push(t) },
    nativeImage: { createFromBitmap: (buf: Buffer) => ({ buf }) },
  };
});

const { createPresenceTray, presenceBitmap, presenceColors } = await import('./tray');

describe('presence tray', () => {
  it('shows the presence in the tooltip and icon, in the agent’s language', () => {
    const tray = createPresenceTray({ show: vi.fn(), quit: vi.fn() });
    const t = made.trays[0]!;
    expect(t.setToolTip).toHaveBeenLastCalledWith('Switchboard: Offline');
    tray.setPresence('busy');
    expect(t.setToolTip).toHaveBeenLastCalledWith('Switchboard: Busy');
    const icon = t.setImage.mock.lastCall?.[0] as { buf: Buffer };
    expect(icon.buf).toEqual(presenceBitmap('busy'));
    tray.setLocale('zh-TW');
    expect(t.setToolTip).toHaveBeenLastCalledWith('Switchboard: 忙碌');
    tray.setLocale('zh-CN');
    tray.setPresence('break');
    expect(t.setToolTip).toHaveBeenLastCalledWith('Switchboard: 小休');
  });

  it('draws each presence in its own colour', () => {
    const centre = (p: keyof typeof presenceColors) => {
      const b = presenceBitmap(p);
      const i = (16 * 32 + 16) * 4;
      return [b[i + 2], b[i + 1], b[i], b[i + 3]];
    };
    expect(centre('available')).toEqual([...presenceColors.available, 255]);
    expect(centre('busy')).toEqual([...presenceColors.busy, 255]);
    expect(presenceBitmap('busy')[3]).toBe(0); // the corner is transparent
  });
});
