import type { StateCreator } from 'zustand';
import type { HostInfo } from '../../core/ipc';
import type { Role } from '../../core/wire/auth';
import type { AppState } from './appStore';

/**
 * The pages of the navigation rail, in rail order (Alt+1…9 follow it). SLA alarms are for everyone who gets them (agents too); KPIs too (an agent sees their own).
 * Review and Administration come after Settings, so the nine shortcuts people learned keep their pages.
 */
export const pageIds = ['inbox', 'phone', 'tickets', 'replies', 'team', 'wallboard', 'alarms', 'kpi', 'settings', 'review', 'admin'] as const;
export type PageId = (typeof pageIds)[number];

/** Pages for people who run a team (agents do not see other agents' states). */
export const leadPages: readonly PageId[] = ['team', 'wallboard', 'review', 'admin'];
export const canSeePage = (page: PageId, role: Role | undefined): boolean => !leadPages.includes(page) || role === 'lead' || role === 'admin';

export type ShellSlice = {
  page: PageId;
  hostInfo: HostInfo | null;
  /** Goes to a page the signed-in user may see; ignores one they may not. */
  goTo(page: PageId): void;
  setHostInfo(info: HostInfo): void;
};

export const createShellSlice = (): StateCreator<AppState, [], [], ShellSlice> => (set, get) => ({
  page: 'inbox',
  hostInfo: null,
  goTo(page) {
    if (canSeePage(page, get().user?.role)) set({ page });
  },
  setHostInfo: (hostInfo) => set({ hostInfo }),
});
