-- Accounts: teams, users, membership, and login sessions with rotating refresh tokens.

create table teams (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  -- The language the team's queue serves; routing and quick-reply defaults follow it.
  language text not null default 'en' check (language in ('en', 'zh-CN', 'zh-TW')),
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null unique check (username = lower(username) and length(username) between 1 and 100),
  display_name text not null,
  role text not null check (role in ('agent', 'lead', 'admin')),
  language text not null default 'en' check (language in ('en', 'zh-CN', 'zh-TW')),
  -- SIP extension provisioned for the softphone.
  extension text unique,
  -- scrypt$N$r$p$salt$hash (server/auth/password.ts); never the password itself.
  password_hash text not null,
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

create table team_members (
  team_id uuid not null references teams (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (team_id, user_id)
);
create index team_members_user on team_members (user_id);

-- One row per login. Access tokens carry its id (sid) and are refused once revoked_at is set.
create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  revoked_at timestamptz,
  -- logout | refresh-reuse | admin
  revoked_reason text
);
create index sessions_user on sessions (user_id);

-- The refresh-token family of a session. Only SHA-256 hashes are stored; each token is single-use:
-- refreshing marks it used and issues the next one. Presenting a used token again means it was
-- stolen or replayed, and the whole session is revoked (OAuth 2.0 Security BCP, refresh token rotation).
create table refresh_tokens (
  token_hash text primary key,
  session_id uuid not null references sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index refresh_tokens_session on refresh_tokens (session_id);
