-- Issue 14: the wallboard's "today" panel is read from the contact event log (server/kpi/report.ts todaySums)
-- like the KPI page, so the two can never disagree. Two figures it shows were only in the chat tables:
--   abandoned          a new event kind: the customer left before any agent answered (data: { waitMs })
--   answered within    answered events carry the team's answer target at the time (data.targetMs), so a
--                      later change of the target does not rewrite history; older events are compared with
--                      the team's current target.
alter table contact_events drop constraint contact_events_kind_check;
alter table contact_events add constraint contact_events_kind_check
  check (kind in ('offered', 'answered', 'first_response', 'transferred', 'ended', 'wrap_up', 'survey', 'sla_met', 'sla_missed', 'abandoned'));

alter table kpi_agent_day add column abandoned integer not null default 0;
alter table kpi_agent_day add column answered_within integer not null default 0;

-- Every materialised day lacks the two new counters: the next report (or the background job) recomputes it.
delete from kpi_rollup_days;
