/**
 * The seam for the presence history: every presence change the server accepts goes through `writePresence`
 * (write.ts), which calls `recordPresenceChange` once, inside the same transaction as the agent_presence
 * row, with the break reason (or the system cause, e.g. `wrap-up-limit`) that came with it. The history
 * itself (`presence_log`, occupancy) is the KPI module's.
 */
export { recordPresenceChange } from '../kpi/events';
export type { PresenceChange } from '../../core/kpi/contactEvents';
