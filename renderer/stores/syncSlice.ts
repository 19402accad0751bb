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
  /** The engine's report; the status bar's indicator (`sync`) is derived from it in the same update (stores/syncIndicator.ts). */
  syncEngineChanged(state: SyncEngineState | null): void;
};

export const createSyncSlice = (): StateCreator<AppState, [], [], SyncSlice> => (set, get) => ({
  ticketsServices: null,
  syncEngine: null,
  setTicketsServices: (ticketsServices) => set({ ticketsServices }),
  syncEngineChanged(syncEngine) {
    const wasOnline = get().syncEngine?.status === 'online';
    set({ syncEngine });
    // The engine just reached the server while the probe last could not: ask the probe again now rather
    // than show offline until its next round (reachability stays the probe's to say).
    if (syncEngine?.status === 'online' && !wasOnline && !get().serverReachable) void get().probeServer();
  },
});
