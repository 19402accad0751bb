import type { StateCreator } from 'zustand';
import type { TeamSlaSettings } from '../../core/sla/policy';
import { Alarm, type Alarm as AlarmT, SlaTeams, TeamSlaSettingsView, TicketTimers, slaRoutes } from '../../core/wire/sla';
import type { AppState } from './appStore';
import { type StoreDeps, storageKeys } from './deps';

/**
 * SLA alarms as the server raised them (the list, kept by id so an alarm that arrives twice, live and in a
 * re-fetched list, shows once), the banner of new ones, and the user's alarm sound setting. Team SLA
 * settings are read and saved through here; the editor keeps its draft in its own component state.
 */
export type SlaSlice = {
  alarms: AlarmT[];
  alarmsConnected: boolean;
  /** New, unacknowledged alarms shown in the banner (newest last) until acknowledged or dismissed. */
  alarmBanner: string[];
  slaSound: boolean;
  setAlarms(alarms: AlarmT[]): void;
  /** Returns false when the alarm was known already (no second tone or notification). */
  alarmArrived(alarm: AlarmT): boolean;
  alarmUpdated(alarm: AlarmT): void;
  setAlarmsConnected(connected: boolean): void;
  clearAlarms(): void;
  ackAlarm(id: string): Promise<void>;
  dismissAlarmBanner(id: string): void;
  setSlaSound(on: boolean): void;
  loadSlaTeams(): Promise<SlaTeams['teams']>;
  loadTicketTimers(ticketId: string): Promise<TicketTimers>;
  loadSlaSettings(teamId: string): Promise<TeamSlaSettingsView>;
  saveSlaSettings(teamId: string, settings: TeamSlaSettings): Promise<TeamSlaSettingsView>;
};

const newestFirst = (a: AlarmT, b: AlarmT) => b.raisedAt - a.raisedAt;

export const createSlaSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], SlaSlice> =>
  (set, get) => ({
    alarms: [],
    alarmsConnected: false,
    alarmBanner: [],
    slaSound: deps.storage.getItem(storageKeys.slaSound) !== 'off',
    setAlarms(alarms) {
      const byId = new Map(alarms.map((a) => [a.id, a]));
      set((s) => ({ alarms: [...byId.values()].sort(newestFirst), alarmBanner: s.alarmBanner.filter((id) => byId.get(id)?.acknowledgedAt === null) }));
    },
    alarmArrived(alarm) {
      const known = get().alarms.some((a) => a.id === alarm.id);
      set((s) => ({
        alarms: [alarm, ...s.alarms.filter((a) => a.id !== alarm.id)].sort(newestFirst),
        alarmBanner: known || alarm.acknowledgedAt !== null ? s.alarmBanner : [...s.alarmBanner, alarm.id],
      }));
      return !known;
    },
    alarmUpdated(alarm) {
      set((s) => ({
        alarms: s.alarms.some((a) => a.id === alarm.id) ? s.alarms.map((a) => (a.id === alarm.id ? alarm : a)) : [alarm, ...s.alarms].sort(newestFirst),
        alarmBanner: alarm.acknowledgedAt === null ? s.alarmBanner : s.alarmBanner.filter((id) => id !== alarm.id),
      }));
    },
    setAlarmsConnected: (alarmsConnected) => set({ alarmsConnected }),
    clearAlarms: () => set({ alarms: [], alarmBanner: [], alarmsConnected: false }),
    async ackAlarm(id) {
      const updated = Alarm.parse(await deps.api.postJson(slaRoutes.ack(id), {}));
      get().alarmUpdated(updated);
    },
    dismissAlarmBanner: (id) => set((s) => ({ alarmBanner: s.alarmBanner.filter((x) => x !== id) })),
    setSlaSound(on) {
      deps.storage.setItem(storageKeys.slaSound, on ? 'on' : 'off');
      set({ slaSound: on });
    },
    async loadTicketTimers(ticketId) {
      return TicketTimers.parse(await deps.api.getJson(slaRoutes.timers(ticketId)));
    },
    async loadSlaTeams() {
      return SlaTeams.parse(await deps.api.getJson(slaRoutes.teams)).teams;
    },
    async loadSlaSettings(teamId) {
      return TeamSlaSettingsView.parse(await deps.api.getJson(slaRoutes.settings(teamId)));
    },
    async saveSlaSettings(teamId, settings) {
      return TeamSlaSettingsView.parse(await deps.api.putJson(slaRoutes.settings(teamId), settings));
    },
  });
