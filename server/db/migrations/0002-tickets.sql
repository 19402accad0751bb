-- The ticket domain: customers, tickets, their append-only comments, and quick replies.
-- The sync issue extends this file's tables with new migrations; do not edit it once shipped.

create table customers (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  email text,
  -- E.164, e.g. +8613812345678
  phone text check (phone is null or phone ~ '^\+[1-9][0-9]{6,14}$'),
  language text not null default 'en' check (language in ('en', 'zh-CN', 'zh-TW')),
  -- ISO 3166-1 alpha-2
  country text check (country is null or country ~ '^[A-Z]{2}$'),
  created_at timestamptz not null default now()
);
create index customers_email on customers (lower(email));
create index customers_phone on customers (phone);

-- Human ticket numbers (#1042) are separate from ids and start where a demo looks plausible.
create sequence ticket_number_seq start with 1001;

create table tickets (
  id uuid primary key default gen_random_uuid(),
  number integer not null unique default nextval('ticket_number_seq'),
  subject text not null check (length(subject) between 1 and 500),
  status text not null default 'new' check (status in ('new', 'open', 'pending', 'solved', 'closed')),
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  customer_id uuid references customers (id),
  assignee_id uuid references users (id),
  team_id uuid references teams (id),
  tags text[] not null default '{}',
  channel text not null check (channel in ('web', 'chat', 'messaging', 'email', 'voice')),
  sla_first_response_due timestamptz,
  sla_resolution_due timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Bumped on every change; clients send the version they edited (optimistic concurrency, sync).
  version bigint not null default 1
);
alter sequence ticket_number_seq owned by tickets.number;
create index tickets_queue on tickets (team_id, status, updated_at desc);
create index tickets_assignee on tickets (assignee_id, status);
create index tickets_customer on tickets (customer_id);
create index tickets_updated on tickets (updated_at);

-- Append-only: corrections are new comments, never edits, so the history an agent saw stays true.
create table ticket_comments (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id) on delete cascade,
  -- null: written by the customer (arrived through the ticket's channel)
  author_id uuid references users (id),
  kind text not null check (kind in ('public', 'internal')),
  body text not null,
  created_at timestamptz not null default now()
);
create index ticket_comments_ticket on ticket_comments (ticket_id, created_at);

-- Canned answers. team_id set: the team's; owner_id set: personal; both null: everyone's.
create table quick_replies (
  id uuid primary key default gen_random_uuid(),
  team_id uuid references teams (id) on delete cascade,
  owner_id uuid references users (id) on delete cascade,
  category text not null,
  -- Typed after '/' in the composer, e.g. /refund
  shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  title text not null,
  -- {"en": "...", "zh-CN": "...", "zh-TW": "..."}; bodies may hold {{customer.name}} style variables.
  bodies jsonb not null check (jsonb_typeof(bodies) = 'object'),
  use_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index quick_replies_team on quick_replies (team_id);
create index quick_replies_owner on quick_replies (owner_id);
