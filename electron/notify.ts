import { Notification } from 'electron';
import type { Notice } from '../core/ipc';
import { HostError } from './ipc/hostError';

/**
 * OS notifications. A notice with a tag replaces the previous one with that tag, so one ringing call
 * is one notice however often the renderer re-announces it. Clicking a notice brings the window up and
 * tells the renderer which one it was (`notice:activated`).
 */
export function createNotifier(onClick: () => void, onActivated: (tag: string) => void = () => undefined): (notice: Notice) => void {
  const byTag = new Map<string, Notification>();
  return (notice) => {
    if (!Notification.isSupported()) throw new HostError('unavailable', 'notifications are not supported here');
    const shown = new Notification({ title: notice.title, body: notice.body, silent: false });
    if (notice.tag) {
      byTag.get(notice.tag)?.close();
      byTag.set(notice.tag, shown);
      const tag = notice.tag;
      shown.on('close', () => {
        if (byTag.get(tag) === shown) byTag.delete(tag);
      });
    }
    shown.on('click', () => {
      onClick();
      // The renderer acts on its own notices (a ringing call's answers it); the tag is all that crosses.
      if (notice.tag) onActivated(notice.tag);
    });
    shown.show();
  };
}
