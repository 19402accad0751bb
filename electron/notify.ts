import { Notification } from 'electron';
import type { Notice } from '../core/ipc';
import { HostError } from './ipc/hostError';

/**
 * OS notifications. A notice with a tag replaces the previous one with that tag, so one ringing call
 * is one notice however often the renderer re-announces it. Clicking a notice brings the window up.
 */
export function createNotifier(onClick: () => void): (notice: Notice) => void {
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
    shown.on('click', onClick);
    shown.show();
  };
}
