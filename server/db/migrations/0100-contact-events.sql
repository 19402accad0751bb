-- KPIs (issue 14): the append-only contact event log every figure is computed from, the persisted
-- presence history (occupancy), and per-agent per-team-local-day rollups so long periods stay fast.

-- The team's time zone: days, weeks and months of a KPI report are the team's. The SLA code adds the same
-- column; whichever migration runs first creates it.
alter table teams add column if not exists time_zone text not null default 'UTC';
-- First-contact resolution: a new contact from the same customer about the same ticket within this many
-- days means the first one did not resolve it (core/kpi/figures.ts).
alter table teams add column if not exists kpi_fcr_days integer not null default 7 check (kpi_fcr_days between 1 and 90);

-- No foreign keys on purpose: the log is history and outlives a deleted team, user or conversation, and a
-- cascade would be an update the log refuses. core/kpi/contactEvents.ts names the kinds and what `data` holds.
create table contact_events (
  id bigserial primary key,
  at timestamptz not null,
  team_id uuid not null,
  agent_id uuid,
  customer_id uuid,
  -- The conversation or call.
  contact_id uuid not null,
  ticket_id uuid,
  channel text not null check (channel in ('webchat', 'messaging', 'email', 'voice')),
  kind text not null check (kind in ('offered', 'answered', 'first_response', 'transferred', 'ended', 'wrap_up', 'survey', 'sla_met', 'sla_missed')),
  data jsonb not null default '{}'
);
create index contact_events_team_at on contact_events (team_id, at);
-- First-contact resolution looks for a later offer on the same ticket.
create index contact_events_ticket_offered on contact_events (ticket_id, at) where kind = 'offered';
create index contact_events_contact on contact_events (contact_id, kind);

create function contact_events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'contact_events is append-only: % refused', tg_op using errcode = 'restrict_violation';
end $$;
create trigger contact_events_append_only before update or delete or truncate on contact_events
  for each statement execute function contact_events_refuse_change();

-- Presence history: one row per stretch in one state, per team the user was in at the time. The open
-- stretch has ended_at null; a change closes it and opens the next in the same statement batch.
create table presence_log (
  id bigserial primary key,
  user_id uuid not null,
  team_id uuid not null,
  state text not null check (state in ('available', 'busy', 'after-call', 'break', 'offline')),
  reason text check (reason is null or length(reason) between 1 and 64),
  started_at timestamptz not null,
  ended_at timestamptz,
  check (ended_at is null or ended_at >= started_at)
);
create index presence_log_team_time on presence_log (team_id, started_at);
create unique index presence_log_open on presence_log (user_id, team_id) where ended_at is null;

-- Rollups: one row per team, team-local day, agent (the zero uuid for events without one) and channel,
-- with the counters core/kpi/figures.ts KpiSums names. A day is materialised only once it has ended in the
-- team's zone, and kpi_rollup_days says which are; a later event that falls on a materialised day (a call
-- reported late, a survey, a repeat contact that changes an earlier day's FCR, a presence stretch) deletes
-- that day's mark in the same transaction, so the next report recomputes it. Never stale, never doubled.
create table kpi_rollup_days (
  team_id uuid not null,
  day date not null,
  computed_at timestamptz not null,
  primary key (team_id, day)
);

create table kpi_agent_day (
  team_id uuid not null,
  day date not null,
  agent_id uuid not null,
  channel text not null,
  offered integer not null,
  answered integer not null,
  wait_ms bigint not null,
  handled integer not null,
  talk_ms bigint not null,
  wrap_ms bigint not null,
  fcr_eligible integer not null,
  fcr_resolved integer not null,
  transfers integer not null,
  surveys_asked integer not null,
  surveys_answered integer not null,
  csat_sum integer not null,
  csat_satisfied integer not null,
  sla_met integer not null,
  sla_missed integer not null,
  primary key (team_id, day, agent_id, channel)
);

create table kpi_staffed_day (
  team_id uuid not null,
  day date not null,
  agent_id uuid not null,
  staffed_ms bigint not null,
  primary key (team_id, day, agent_id)
);

-- Both invalidation triggers take the team's rollup lock (7601, team), as server/kpi/rollup.ts does while
-- it materialises: an event committed while a day is being computed either is in the computation or
-- deletes its mark afterwards.
create function kpi_invalidate_events() returns trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock(7601, hashtext(x.team_id::text)) from (select distinct team_id from new_rows order by team_id) x;
  delete from kpi_rollup_days r
  using (
    select n.team_id, (n.at at time zone t.time_zone)::date as day
    from new_rows n join teams t on t.id = n.team_id
    union
    -- A new offer on a ticket turns an earlier contact on it (within the FCR window) into a repeat.
    select p.team_id, (p.at at time zone t.time_zone)::date
    from new_rows n
    join contact_events p on p.ticket_id = n.ticket_id and p.kind = 'ended' and p.at < n.at
    join teams t on t.id = p.team_id and p.at >= n.at - make_interval(days => t.kpi_fcr_days)
    where n.kind = 'offered' and n.ticket_id is not null
  ) s
  where r.team_id = s.team_id and r.day = s.day;
  return null;
end $$;
create trigger contact_events_invalidate after insert on contact_events
  referencing new table as new_rows for each statement execute function kpi_invalidate_events();

-- A presence stretch that starts or ends on a materialised day: every day it touches is recomputed.
create function kpi_invalidate_presence() returns trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock(7601, hashtext(x.team_id::text)) from (select distinct team_id from new_rows order by team_id) x;
  delete from kpi_rollup_days r
  using (
    select n.team_id, t.time_zone, n.started_at, coalesce(n.ended_at, now()) as ended_at
    from new_rows n join teams t on t.id = n.team_id
  ) s
  where r.team_id = s.team_id
    and r.day between (s.started_at at time zone s.time_zone)::date and (s.ended_at at time zone s.time_zone)::date;
  return null;
end $$;
create trigger presence_log_invalidate_insert after insert on presence_log
  referencing new table as new_rows for each statement execute function kpi_invalidate_presence();
create trigger presence_log_invalidate_update after update on presence_log
  referencing new table as new_rows for each statement execute function kpi_invalidate_presence();
