import type { StateCreator } from 'zustand';
import { type AgentRoutingInput, MyQueueState, VoiceQueue, type VoiceQueueInput, VoiceQueueList, queueRoutes } from '../../core/wire/queues';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

/**
 * Voice queues on the agent's side (issue 17): the queue call ringing for them (queue name, caller and
 * screen pop), the one they are on, and the server's not-ready notice after one rang out. Read from
 * GET /queues/mine; a not-ready notice also puts the app's own presence to busy, so the status bar agrees
 * with what routing now believes.
 */
export type QueueSlice = {
  queueState: MyQueueState | null;
  /** The last action's error text (answer on a call that moved on, say), cleared by the next poll. */
  queueError: string | null;
  pollQueue(): Promise<void>;
  answerQueueCall(callId: string): Promise<void>;
  declineQueueCall(callId: string): Promise<void>;
  hangupQueueCall(callId: string): Promise<void>;
  /** Leads: the team's queue numbers with today's figures; a new queue; an agent's skills and languages. */
  loadVoiceQueues(teamId: string): Promise<VoiceQueue[]>;
  createVoiceQueue(teamId: string, input: VoiceQueueInput): Promise<VoiceQueue>;
  setAgentRouting(teamId: string, userId: string, input: AgentRoutingInput): Promise<void>;
};

const callPath = (template: string, callId: string) => template.replace(':callId', encodeURIComponent(callId));

export const createQueueSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], QueueSlice> =>
  (set, get) => {
    const act = async (template: string, callId: string) => {
      try {
        await deps.api.postJson(callPath(template, callId), {});
        set({ queueError: null });
      } catch (err) {
        set({ queueError: err instanceof Error ? err.message : String(err) });
      }
      await get().pollQueue();
    };
    return {
      queueState: null,
      queueError: null,
      async pollQueue() {
        const parsed = MyQueueState.safeParse(await deps.api.getJson(queueRoutes.mine));
        if (!parsed.success) return;
        set({ queueState: parsed.data });
        if (parsed.data.notReady && get().presence === 'available') get().setPresence('busy');
      },
      answerQueueCall: (callId) => act(queueRoutes.answer, callId),
      declineQueueCall: (callId) => act(queueRoutes.decline, callId),
      hangupQueueCall: (callId) => act(queueRoutes.hangup, callId),
      async loadVoiceQueues(teamId) {
        return VoiceQueueList.parse(await deps.api.getJson(queueRoutes.teamQueues.replace(':teamId', encodeURIComponent(teamId)))).queues;
      },
      async createVoiceQueue(teamId, input) {
        return VoiceQueue.parse(await deps.api.postJson(queueRoutes.teamQueues.replace(':teamId', encodeURIComponent(teamId)), input));
      },
      async setAgentRouting(teamId, userId, input) {
        await deps.api.putJson(queueRoutes.agentRouting.replace(':teamId', encodeURIComponent(teamId)).replace(':userId', encodeURIComponent(userId)), input);
      },
    };
  };
