-- Issue 14: a contact the customer abandoned (left before any agent answered) ends its running SLA timers
-- with no outcome. Before, closing the chat solved its ticket and stopped every timer as "met" (nobody had
-- missed it yet), so each abandoned web chat inflated "SLA met". Abandonment is its own figure (the
-- `abandoned` contact event); a timer that had already breached stays missed.
alter table sla_timers drop constraint sla_timers_state_check;
alter table sla_timers add constraint sla_timers_state_check check (state in ('active', 'paused', 'met', 'missed', 'abandoned'));
