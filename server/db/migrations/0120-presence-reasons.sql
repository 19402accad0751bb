-- Issue 14, presence with reasons and the wallboard.
--
-- Break reasons per team (lunch, training, meeting, ...), labelled in each language the app ships in; an
-- agent on break names one. A reason is never deleted once used (presence history points at it): it is
-- retired (active = false) and disappears from the picker.
create table break_reasons (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references teams (id) on delete cascade,
  -- Stable code for reports and exports (lunch, training, ...).
  code text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  label_en text not null check (length(label_en) between 1 and 60),
  label_zh_cn text not null check (length(label_zh_cn) between 1 and 60),
  label_zh_tw text not null check (length(label_zh_tw) between 1 and 60),
  position integer not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (team_id, code)
);
create index break_reasons_team on break_reasons (team_id, position) where active;

-- How a team runs its floor: the wrap-up limit (after-call work ends by itself into `wrap_up_next` when
-- it passes; null = no limit), the answer target the wallboard counts "answered within target" against,
-- and the team's time zone (`teams.time_zone`, from 0100; "today" on the wallboard is the team's day). A team without a row has the
-- defaults below (server/presence/settings.ts says the same).
create table team_floor_settings (
  team_id uuid primary key references teams (id) on delete cascade,
  wrap_up_limit_seconds integer check (wrap_up_limit_seconds between 10 and 3600),
  wrap_up_next text not null default 'available' check (wrap_up_next in ('available', 'busy', 'break', 'offline')),
  answer_target_seconds integer not null default 60 check (answer_target_seconds between 5 and 3600),
  updated_at timestamptz not null default now()
);

-- The reason of the current presence (only with 'break').
alter table agent_presence add column reason_id uuid references break_reasons (id);
alter table agent_presence add constraint agent_presence_reason_only_on_break check (reason_id is null or presence = 'break');
create index agent_presence_after_call on agent_presence (updated_at) where presence = 'after-call';

-- When an agent first answered the chat (accept, claim, auto-assign, takeover), and when the customer left
-- a chat nobody had answered yet (abandoned). The wallboard counts both over the last hour and today.
alter table conversations add column answered_at timestamptz;
alter table conversations add column abandoned_at timestamptz;
create index conversations_team_created on conversations (team_id, created_at);
create index conversations_team_answered on conversations (team_id, answered_at) where answered_at is not null;
create index conversations_team_abandoned on conversations (team_id, abandoned_at) where abandoned_at is not null;
create index conversations_team_closed on conversations (team_id, closed_at) where closed_at is not null;
