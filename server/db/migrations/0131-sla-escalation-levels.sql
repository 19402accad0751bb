-- Issue 14: SLA escalation has a second level. A breach nobody acknowledges within escalate_after_seconds
-- escalates to the policy's escalation contact (level 1, 'escalation', as before; the admins when there
-- is no contact); if that escalation is not acknowledged either within escalate_again_after_seconds, it
-- escalates on to the admins ('escalation_admins'). Null: one level only, as before.
alter table sla_policies add column escalate_again_after_seconds integer check (escalate_again_after_seconds > 0);
-- Copied onto each timer when it starts (or is re-timed), like the other policy values.
alter table sla_timers add column escalate_again_after_seconds integer;

alter table sla_alarms drop constraint sla_alarms_level_check;
alter table sla_alarms add constraint sla_alarms_level_check check (level in ('warning', 'breach', 'escalation', 'escalation_admins'));
