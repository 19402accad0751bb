import type { StateCreator } from 'zustand';
import { BoardTeams, type BreakReason, type FloorSettings, TeamFloor as TeamFloorSchema, type TeamFloorInput, boardRoutes } from '../../core/wire/board';
import type { BoardFeed } from '../services/board/boardFeed';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

/** The team's floor as its lead edits it: every break reason (retired ones too), the floor settings and the FCR window. */
export type TeamFloor = { teamId: string; reasons: BreakReason[]; floor: FloorSettings; fcrWindowDays: number };

export type BoardSlice = {
  /** The wallboard being watched (one at a time); null when no wallboard is open. */
  wallboard: BoardFeed | null;
  /** Watches a team's wallboard over the realtime channel until the returned stop is called. */
  watchWallboard(teamId: string): () => void;
  /** The teams whose board the user may watch (a lead's own, every team for an admin). */
  loadBoardTeams(): Promise<BoardTeams['teams']>;
  /** TV mode: the host's full screen (Electron's window, or the browser's Fullscreen API). */
  setFullScreen(on: boolean): Promise<void>;
  loadTeamFloor(teamId: string): Promise<TeamFloor>;
  /** The floor editor's one save (PUT /teams/:teamId/floor): all of it in one transaction, or nothing. */
  saveTeamFloor(teamId: string, input: TeamFloorInput): Promise<TeamFloor>;
};

const path = (template: string, teamId: string) => template.replace(':teamId', encodeURIComponent(teamId));

export const createBoardSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], BoardSlice> =>
  (set, get) => ({
    wallboard: null,
    watchWallboard(teamId) {
      if (!deps.boardFeeds) return () => {};
      const stop = deps.boardFeeds.watch(teamId, (feed) => set({ wallboard: feed }));
      return () => {
        stop();
        if (get().wallboard?.teamId === teamId) set({ wallboard: null });
      };
    },
    async setFullScreen(on) {
      try {
        await deps.host.setFullScreen(on);
      } catch (err) {
        // TV mode still covers the window; only the screen's own chrome stays.
        deps.log?.(`[board] full screen ${on ? 'refused' : 'not left'}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    async loadBoardTeams() {
      return BoardTeams.parse(await deps.api.getJson(boardRoutes.teams)).teams;
    },
    async loadTeamFloor(teamId) {
      return { teamId, ...TeamFloorSchema.parse(await deps.api.getJson(path(boardRoutes.floor, teamId))) };
    },
    async saveTeamFloor(teamId, input) {
      const saved = TeamFloorSchema.parse(await deps.api.putJson(path(boardRoutes.floor, teamId), input));
      // The lead's own picker follows at once when it is their team.
      if (get().presenceConfig?.teamId === teamId) void get().loadPresenceConfig();
      return { teamId, ...saved };
    },
  });
