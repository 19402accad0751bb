import type { Presence } from '../../../core/presence';
import { pageIds, type PageId } from '../../stores/shellSlice';

/**
 * The app's keyboard shortcuts, as data: the key handler and the help overlay both read this table,
 * so what is documented is what works.
 *
 * - Alt+1…9 (or Ctrl+1…9) go to the pages in rail order. Electron has no tabs to clash with; in a
 *   browser tab the app takes the keys while it has focus.
 * - Alt+Shift+letter sets presence. `event.code` is used, not `event.key`: Alt changes `key` on macOS
 *   and with some IMEs, and the physical key is what the overlay documents.
 * - `?` or F1 opens the list. `?` is ignored while typing in a field (it is a character there).
 */
export type ShortcutAction = { type: 'go'; page: PageId } | { type: 'presence'; presence: Presence } | { type: 'help' };

export type KeyInput = {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** The event's target is an input, textarea, select or contenteditable. */
  inEditable: boolean;
};

export const presenceKeys: ReadonlyArray<{ code: string; letter: string; presence: Presence }> = [
  { code: 'KeyA', letter: 'A', presence: 'available' },
  { code: 'KeyB', letter: 'B', presence: 'busy' },
  { code: 'KeyW', letter: 'W', presence: 'after-call' },
  { code: 'KeyP', letter: 'P', presence: 'break' },
  { code: 'KeyO', letter: 'O', presence: 'offline' },
];

export function matchShortcut(e: KeyInput): ShortcutAction | null {
  if (e.metaKey) return null;
  const digit = /^Digit([1-9])$/.exec(e.code);
  if (digit && !e.shiftKey && (e.altKey !== e.ctrlKey)) {
    const page = pageIds[Number(digit[1]) - 1];
    return page ? { type: 'go', page } : null;
  }
  if (e.altKey && e.shiftKey && !e.ctrlKey) {
    const hit = presenceKeys.find((p) => p.code === e.code);
    if (hit) return { type: 'presence', presence: hit.presence };
  }
  if (e.key === 'F1' && !e.altKey && !e.ctrlKey) return { type: 'help' };
  if (e.key === '?' && !e.altKey && !e.ctrlKey && !e.inEditable) return { type: 'help' };
  return null;
}

export type ShortcutDoc = { keys: string[][]; action: ShortcutAction };

/** The documented list: each entry is one or more key combinations (each a list of keys). */
export const shortcutDocs: readonly ShortcutDoc[] = [
  // Nine digits, nine pages: the pages after Settings (Review, Administration) are reached from the rail only.
  ...pageIds.slice(0, 9).map((page, i) => ({ keys: [['Alt', String(i + 1)], ['Ctrl', String(i + 1)]], action: { type: 'go', page } as const })),
  ...presenceKeys.map((p) => ({ keys: [['Alt', 'Shift', p.letter]], action: { type: 'presence', presence: p.presence } as const })),
  { keys: [['?'], ['F1']], action: { type: 'help' } },
];

export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
