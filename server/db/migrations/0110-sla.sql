-- SLA policies, business calendars, timers and alarms (issue 14). Timers and alarms are rows, so the
-- periodic scanner (server/sla/scanner.ts) computes every alarm from the database: a restart or a second
-- server instance finds the same rows and raises nothing twice (unique (timer_id, level)).

-- The team's time zone (IANA name); business hours and holidays are its local wall clock. The KPI work
-- of the same issue may add this column too, hence "if not exists" and the exact same definition.
alter table teams add column if not exists time_zone text not null default 'UTC';

-- Opening hours per ISO weekday (1 = Monday), minutes from local midnight, end exclusive. A team with no
-- rows is open around the clock.
create table team_business_hours (
  team_id uuid not null references teams (id) on delete cascade,
  weekday smallint not null check (weekday between 1 and 7),
  start_minute smallint not null check (start_minute between 0 and 1439),
  end_minute smallint not null check (end_minute between 1 and 1440),
  check (end_minute > start_minute),
  primary key (team_id, weekday, start_minute)
);

create table team_holidays (
  team_id uuid not null references teams (id) on delete cascade,
  day date not null,
  name text not null check (length(name) between 1 and 100),
  primary key (team_id, day)
);

-- Targets in seconds. channel/priority 'any' is the fallback; the most specific match wins
-- (core/sla/policy.ts matchPolicy).
create table sla_policies (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references teams (id) on delete cascade,
  channel text not null check (channel in ('any', 'chat', 'messaging', 'email', 'voice', 'web', 'phone')),
  priority text not null check (priority in ('any', 'low', 'normal', 'high', 'urgent')),
  first_response_seconds integer not null check (first_response_seconds > 0),
  next_response_seconds integer check (next_response_seconds > 0),
  resolution_seconds integer check (resolution_seconds > 0),
  warn_percent smallint not null default 80 check (warn_percent between 1 and 99),
  business_hours boolean not null default true,
  escalate_after_seconds integer not null default 900 check (escalate_after_seconds > 0),
  -- null: escalations go to the admins
  escalation_user_id uuid references users (id) on delete set null,
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  unique (team_id, channel, priority)
);

-- One row per running or finished target of a ticket.
--   active ─► paused (ticket waits on the customer) ─► active
--   active ─► met (responded / resolved before due_at)
--   active ─► missed (due_at passed; stopped_at set once the response or resolution finally comes)
create table sla_timers (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id) on delete cascade,
  team_id uuid not null references teams (id) on delete cascade,
  policy_id uuid references sla_policies (id) on delete set null,
  kind text not null check (kind in ('first_response', 'next_response', 'resolution')),
  state text not null check (state in ('active', 'paused', 'met', 'missed')),
  target_seconds integer not null,
  warn_percent smallint not null,
  business_hours boolean not null,
  escalate_after_seconds integer not null,
  escalation_user_id uuid,
  started_at timestamptz not null,
  -- null while paused
  due_at timestamptz,
  warn_at timestamptz,
  -- business ms left when paused
  remaining_ms bigint,
  stopped_at timestamptz,
  created_at timestamptz not null default now()
);
-- At most one running timer of each kind per ticket.
create unique index sla_timers_running on sla_timers (ticket_id, kind) where state in ('active', 'paused') or (state = 'missed' and stopped_at is null);
create index sla_timers_warn on sla_timers (warn_at) where state = 'active';
create index sla_timers_due on sla_timers (due_at) where state = 'active';

create table sla_alarms (
  id uuid primary key default gen_random_uuid(),
  timer_id uuid not null references sla_timers (id) on delete cascade,
  ticket_id uuid not null references tickets (id) on delete cascade,
  team_id uuid not null references teams (id) on delete cascade,
  level text not null check (level in ('warning', 'breach', 'escalation')),
  -- the assignee when it was raised (they get it, with the team's leads)
  assignee_id uuid references users (id) on delete set null,
  -- escalations only: the escalation contact (null: the admins)
  escalated_to uuid references users (id) on delete set null,
  raised_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by uuid references users (id) on delete set null,
  unique (timer_id, level)
);
create index sla_alarms_team on sla_alarms (team_id, raised_at desc);
create index sla_alarms_unacked on sla_alarms (raised_at) where acknowledged_at is null and level = 'breach';
