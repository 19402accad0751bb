import { z } from 'zod';

/**
 * Coaching modes and who hears whom in each: the single table both the agent's mixer and the tests read.
 *
 *            ┌──────── switch in-dialog (SIP INFO), no new call ────────┐
 *   (none) ──► listen ◄──► whisper ◄──► barge ──► (none: lead leaves or call ends)
 *
 * The agent's app does the mixing (WebAudio), so it works with any SIP server: the customer's call is
 * untouched on the wire, the lead's call is an ordinary call from the lead to the agent.
 */

export const CoachMode = z.enum(['listen', 'whisper', 'barge']);
export type CoachMode = z.infer<typeof CoachMode>;
export const coachModes: readonly CoachMode[] = CoachMode.options;

export type Party = 'customer' | 'agent' | 'lead';
export const parties: readonly Party[] = ['customer', 'agent', 'lead'];

/** hears[mode][listener][source]: whether `listener` hears `source`. Nobody "hears" themselves here. */
export type HearingMatrix = Record<CoachMode, Record<Party, Record<Party, boolean>>>;

export const hears: HearingMatrix = {
  // The lead hears both; agent and customer hear nothing new.
  listen: {
    customer: { customer: false, agent: true, lead: false },
    agent: { customer: true, agent: false, lead: false },
    lead: { customer: true, agent: true, lead: false },
  },
  // The agent also hears the lead; the customer does not.
  whisper: {
    customer: { customer: false, agent: true, lead: false },
    agent: { customer: true, agent: false, lead: true },
    lead: { customer: true, agent: true, lead: false },
  },
  // Everyone hears everyone.
  barge: {
    customer: { customer: false, agent: true, lead: true },
    agent: { customer: true, agent: false, lead: true },
    lead: { customer: true, agent: true, lead: false },
  },
};

/**
 * The gains the agent's mixer sets for a mode (1 = on, 0 = off). The agent's mic always goes to the
 * customer and the lead, and the customer always to the agent and the lead, so only the lead's voice
 * is switched: to the agent's ear and into what is sent to the customer.
 */
export type MixGains = { leadToAgent: number; leadToCustomer: number; agentToLead: number; customerToLead: number };

export function mixGains(mode: CoachMode): MixGains {
  const on = (b: boolean): number => (b ? 1 : 0);
  return {
    leadToAgent: on(hears[mode].agent.lead),
    leadToCustomer: on(hears[mode].customer.lead),
    agentToLead: on(hears[mode].lead.agent),
    customerToLead: on(hears[mode].lead.customer),
  };
}

/**
 * The in-dialog signal the lead's app sends to change mode: a SIP INFO with this JSON body
 * (Content-Type `application/vnd.switchboard.coach+json`). `seq` only grows, so an INFO that overtakes
 * another (two quick clicks over a lossy link) cannot set an older mode.
 */
export const coachInfoContentType = 'application/vnd.switchboard.coach+json';
export const CoachInfo = z.object({ mode: CoachMode, seq: z.number().int().min(0).max(1_000_000) });
export type CoachInfo = z.infer<typeof CoachInfo>;

/** Parses an INFO body from the network; null for anything that is not a well-formed mode change. */
export function parseCoachInfo(body: string | undefined): CoachInfo | null {
  if (!body || body.length > 200) return null;
  try {
    const r = CoachInfo.safeParse(JSON.parse(body));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** SIP headers on the lead's INVITE: the intent (mode to start in) and the server's grant. */
export const coachHeaders = { mode: 'X-Switchboard-Coach', grant: 'X-Switchboard-Coach-Grant' } as const;
