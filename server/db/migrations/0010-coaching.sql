-- Coaching: live call coaching by team leads (listen / whisper / barge). Every grant the server issues
-- is a session row before anyone dials, so a grant that was issued but never used is in the audit too.
-- A grant is single-use: consumed_at is set by the agent's app verifying it, and a second verify fails.

create table coaching_sessions (
  id uuid primary key,
  lead_id uuid not null references users (id),
  agent_id uuid not null references users (id),
  team_id uuid not null references teams (id),
  -- The agent app's id of the customer call (it is the app's, not the PBX's).
  call_id text not null check (length(call_id) between 1 and 64),
  granted_at timestamptz not null default now(),
  grant_expires_at timestamptz not null,
  consumed_at timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  end_reason text check (end_reason in ('lead-left', 'agent-call-ended', 'lead-lost', 'refused'))
);
create index coaching_sessions_team on coaching_sessions (team_id, granted_at desc);
create index coaching_sessions_agent_live on coaching_sessions (agent_id) where ended_at is null;

-- Who did what when: start, each mode, end. by_id is whoever reported it (lead or agent).
create table coaching_events (
  id bigint generated always as identity primary key,
  session_id uuid not null references coaching_sessions (id) on delete cascade,
  at timestamptz not null default now(),
  kind text not null check (kind in ('granted', 'started', 'mode', 'ended', 'refused')),
  mode text check (mode in ('listen', 'whisper', 'barge')),
  by_id uuid references users (id)
);
create index coaching_events_session on coaching_events (session_id, id);
