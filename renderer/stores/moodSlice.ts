import type { StateCreator } from 'zustand';
import { ConversationMood, MoodAlert, type MoodAlert as MoodAlertT, moodRoutes } from '../../core/wire/mood';
import { chatRoutes } from '../../core/wire/chat';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

/**
 * Mood alerts for a lead (issue 20), kept by id like SLA alarms (live and re-listed shows once), the banner
 * of new ones, and the reads and actions the conversation view needs: the trend, the abusive flag, take over.
 */
export type MoodSlice = {
  moodAlerts: MoodAlertT[];
  moodBanner: string[];
  setMoodAlerts(alerts: MoodAlertT[]): void;
  /** Returns false when the alert was known already. */
  moodAlertArrived(alert: MoodAlertT): boolean;
  moodAlertUpdated(alert: MoodAlertT): void;
  clearMoodAlerts(): void;
  ackMoodAlert(id: string): Promise<void>;
  dismissMoodBanner(id: string): void;
  loadConversationMood(conversationId: string): Promise<ConversationMood>;
  flagAbusive(conversationId: string): Promise<void>;
  takeOverChat(conversationId: string): Promise<void>;
  /** The lead blocks the conversation's customer (contact and widget address) for `hours`. */
  blockCustomer(conversationId: string, hours: number, reason: string): Promise<void>;
};

const newestFirst = (a: MoodAlertT, b: MoodAlertT) => b.raisedAt - a.raisedAt;
const at = (path: string, id: string) => path.replace(':id', encodeURIComponent(id));

export const createMoodSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], MoodSlice> =>
  (set, get) => ({
    moodAlerts: [],
    moodBanner: [],
    setMoodAlerts(alerts) {
      const byId = new Map(alerts.map((a) => [a.id, a]));
      set((s) => ({ moodAlerts: [...byId.values()].sort(newestFirst), moodBanner: s.moodBanner.filter((id) => byId.get(id)?.acknowledgedAt === null) }));
    },
    moodAlertArrived(alert) {
      const known = get().moodAlerts.some((a) => a.id === alert.id);
      set((s) => ({
        moodAlerts: [alert, ...s.moodAlerts.filter((a) => a.id !== alert.id)].sort(newestFirst),
        moodBanner: known || alert.acknowledgedAt !== null ? s.moodBanner : [...s.moodBanner, alert.id],
      }));
      return !known;
    },
    moodAlertUpdated(alert) {
      set((s) => ({
        moodAlerts: s.moodAlerts.map((a) => (a.id === alert.id ? alert : a)),
        moodBanner: alert.acknowledgedAt === null ? s.moodBanner : s.moodBanner.filter((id) => id !== alert.id),
      }));
    },
    clearMoodAlerts: () => set({ moodAlerts: [], moodBanner: [] }),
    async ackMoodAlert(id) {
      get().moodAlertUpdated(MoodAlert.parse(await deps.api.postJson(at(moodRoutes.ack, id), {})));
    },
    dismissMoodBanner: (id) => set((s) => ({ moodBanner: s.moodBanner.filter((x) => x !== id) })),
    async loadConversationMood(conversationId) {
      return ConversationMood.parse(await deps.api.getJson(at(moodRoutes.conversation, conversationId)));
    },
    async flagAbusive(conversationId) {
      await deps.api.postJson(at(moodRoutes.abusive, conversationId), {});
    },
    async blockCustomer(conversationId, hours, reason) {
      await deps.api.postJson(at(moodRoutes.block, conversationId), { hours, reason });
    },
    async takeOverChat(conversationId) {
      await deps.api.postJson(at(chatRoutes.takeover, conversationId), {});
    },
  });
