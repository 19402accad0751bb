-- The survey after every contact (issue 19): e-mail and messaging customers answer through a link the
-- server serves. The link is a random 256-bit capability (only its SHA-256 is kept, as widget sessions
-- do) rather than an HMAC over the conversation id: it can be revoked and expires without key rotation.
create table survey_links (
  token_hash text primary key,
  conversation_id uuid not null unique references conversations (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

-- What a low score or a "didn't like" answer asks of the team's lead, with its own due time.
create table follow_up_tasks (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references teams (id) on delete cascade,
  conversation_id uuid not null references conversations (id) on delete cascade,
  ticket_id uuid not null references tickets (id) on delete cascade,
  reason text not null check (reason in ('low-score', 'disliked')),
  score integer not null check (score between 1 and 5),
  due_at timestamptz not null,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  unique (conversation_id)
);
create index follow_up_tasks_team_open on follow_up_tasks (team_id, due_at) where done_at is null;
