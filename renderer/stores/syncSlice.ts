import type { StateCreator } from 'zustand';
import type { SyncEngineState } from '../services/sync/syncEngine';
import type { TicketsServices } from '../services/sync/syncPart';
import type { AppState } from './appStore';

/**
 * The signed-in user's ticket services and the sync engine's own report, as the sync part
 * (services/sync/syncPart.ts) publishes them; null while signed out. The part is their only writer.
 */
export type SyncSlice = {
  ticketsServices: TicketsServices | null;
  syncEngine: SyncEngineState | null;
  setTicketsServices(services: TicketsServices | null): void;
  /** The engine's report; also the status bar's indicator (connectivity slice), so both change in one update. */
  syncEngineChanged(state: SyncEngineState | null): void;
};

export const createSyncSlice = (): StateCreator<AppState, [], [], SyncSlice> => (set, get) => ({
  ticketsServices: null,
  syncEngine: null,
  setTicketsServices: (ticketsServices) => set({ ticketsServices }),
  syncEngineChanged(syncEngine) {
    set({ syncEngine });
    // Nobody's outbox is on screen any more; online/offline stays the connectivity probe's to say.
    if (!syncEngine) get().setSync({ pendingCount: 0, lastSyncedAt: null });
    else get().setSync({ state: syncEngine.status, pendingCount: syncEngine.pendingCount, lastSyncedAt: syncEngine.lastSyncedAt });
  },
});
