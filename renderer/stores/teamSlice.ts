import type { StateCreator } from 'zustand';
import type { TeamRoster } from '../../core/wire/auth';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

export type RosterState =
  | { status: 'idle' }
  | { status: 'loading'; teamId: string }
  | { status: 'loaded'; teamId: string; roster: TeamRoster }
  | { status: 'error'; teamId: string; message: string };

export type TeamSlice = {
  roster: RosterState;
  loadRoster(teamId: string): Promise<void>;
};

export const createTeamSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], TeamSlice> =>
  (set, get) => ({
    roster: { status: 'idle' },
    async loadRoster(teamId) {
      set({ roster: { status: 'loading', teamId } });
      // A later load (another team, or sign-out) wins; an answer for a superseded load is dropped.
      const stillWanted = () => {
        const current = get().roster;
        return current.status === 'loading' && current.teamId === teamId;
      };
      try {
        const roster = await deps.api.roster(teamId);
        if (stillWanted()) set({ roster: { status: 'loaded', teamId, roster } });
      } catch (err) {
        if (stillWanted()) set({ roster: { status: 'error', teamId, message: err instanceof Error ? err.message : String(err) } });
      }
    },
  });
