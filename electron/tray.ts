import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import type { Locale } from '../core/locale';
import type { Presence } from '../core/presence';

/**
 * The tray icon shows the agent's presence at a glance (a coloured dot) with a tooltip, and offers
 * "Show" and "Quit". Icons are drawn in memory, so no image files have to ship or be found at run time.
 */
export const presenceColors: Record<Presence, readonly [r: number, g: number, b: number]> = {
  available: [0x2e, 0xa0, 0x43],
  busy: [0xd0, 0x3b, 0x2f],
  'after-call': [0xe0, 0x8e, 0x0b],
  break: [0x3b, 0x6e, 0xd0],
  offline: [0x8a, 0x8f, 0x98],
};

type TrayText = { presence: Record<Presence, string>; show: string; quit: string };

export const trayText: Record<Locale, TrayText> = {
  en: {
    presence: { available: 'Available', busy: 'Busy', 'after-call': 'After-call work', break: 'On break', offline: 'Offline' },
    show: 'Show Switchboard',
    quit: 'Quit',
  },
  'zh-CN': {
    presence: { available: '空闲', busy: '忙碌', 'after-call': '话后处理', break: '小休', offline: '离线' },
    show: '显示 Switchboard',
    quit: '退出',
  },
  'zh-TW': {
    presence: { available: '空閒', busy: '忙碌', 'after-call': '話後處理', break: '小休', offline: '離線' },
    show: '顯示 Switchboard',
    quit: '結束',
  },
};

export function tooltipFor(presence: Presence, locale: Locale): string {
  return `Switchboard: ${trayText[locale].presence[presence]}`;
}

/** A filled circle, 32x32 BGRA with a soft edge, in the presence's colour. */
export function presenceBitmap(presence: Presence, size = 32): Buffer {
  const [r, g, b] = presenceColors[presence];
  const buf = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const radius = size * 0.42;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, radius - d + 0.5));
      const i = (y * size + x) * 4;
      buf[i] = b;
      buf[i + 1] = g;
      buf[i + 2] = r;
      buf[i + 3] = Math.round(alpha * 255);
    }
  }
  return buf;
}

export type PresenceTray = {
  setPresence(presence: Presence): void;
  setLocale(locale: Locale): void;
  destroy(): void;
};

export function createPresenceTray(actions: { show(): void; quit(): void }): PresenceTray {
  let presence: Presence = 'offline';
  let locale: Locale = 'en';
  const icons = new Map<Presence, NativeImage>();
  const icon = (p: Presence) => {
    let image = icons.get(p);
    if (!image) {
      image = nativeImage.createFromBitmap(presenceBitmap(p), { width: 32, height: 32, scaleFactor: 2 });
      icons.set(p, image);
    }
    return image;
  };
  const tray = new Tray(icon(presence));
  const render = () => {
    const text = trayText[locale];
    tray.setImage(icon(presence));
    tray.setToolTip(tooltipFor(presence, locale));
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: text.presence[presence], enabled: false },
        { type: 'separator' },
        { label: text.show, click: actions.show },
        { label: text.quit, click: actions.quit },
      ]),
    );
  };
  render();
  tray.on('click', actions.show);
  return {
    setPresence(next) {
      presence = next;
      render();
    },
    setLocale(next) {
      locale = next;
      render();
    },
    destroy: () => tray.destroy(),
  };
}
