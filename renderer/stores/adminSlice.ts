import type { StateCreator } from 'zustand';
import type { AdminService } from '../services/admin/adminService';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

/**
 * The admin console's handle on the server. The console's lists are the server's (read on open, re-read
 * after each change), not copied into the store: only the service is handed through, as the page's one
 * way in. null in builds without it (the page then says the console is not available).
 */
export type AdminSlice = { adminService: AdminService | null };

export const createAdminSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], AdminSlice> =>
  () => ({ adminService: deps.admin ?? null });
