-- Chat: conversations across channels (web chat, messaging providers, email, voice), each linked to a
-- ticket; per-conversation ordered messages; routing queues by skill; agent capacity and presence; one
-- global event log whose cursor lets a reconnecting client resume with no gap and no duplicate.

-- A team's queue for one combination of skills; a null skill matches anything.
create table chat_queues (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  team_id uuid not null references teams (id) on delete cascade,
  language text check (language in ('en', 'zh-CN', 'zh-TW')),
  country text check (country is null or country ~ '^[A-Z]{2}$'),
  product text,
  -- offer: an available agent must accept within the timeout; auto: assigned straight away.
  mode text not null default 'offer' check (mode in ('offer', 'auto')),
  offer_timeout_seconds integer not null default 30 check (offer_timeout_seconds between 5 and 600),
  created_at timestamptz not null default now()
);
create index chat_queues_team on chat_queues (team_id);

-- Maximum concurrent chats per agent; an agent without a row has the default (3).
create table agent_capacity (
  user_id uuid primary key references users (id) on delete cascade,
  max_chats integer not null default 3 check (max_chats between 1 and 20)
);

-- What the agent's app says they are (core/presence.ts); routing offers chats only to 'available'.
create table agent_presence (
  user_id uuid primary key references users (id) on delete cascade,
  presence text not null check (presence in ('available', 'busy', 'after-call', 'break', 'offline')),
  updated_at timestamptz not null default now()
);

-- Messaging providers (SMS / WhatsApp / WeChat gateways): the shared HMAC secret and where replies go.
create table messaging_providers (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name text not null,
  secret text not null check (length(secret) >= 16),
  callback_url text not null,
  created_at timestamptz not null default now()
);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id) on delete cascade,
  channel text not null check (channel in ('webchat', 'messaging', 'email', 'voice')),
  customer_id uuid not null references customers (id),
  queue_id uuid not null references chat_queues (id),
  team_id uuid not null references teams (id),
  assignee_id uuid references users (id),
  offered_to_id uuid references users (id),
  offer_expires_at timestamptz,
  state text not null check (state in ('queued', 'offered', 'active', 'closed')),
  language text not null check (language in ('en', 'zh-CN', 'zh-TW')),
  country text,
  product text,
  -- messaging: the provider and the customer's address there (phone number, openid).
  provider_id text references messaging_providers (id),
  external_address text,
  last_seq integer not null default 0,
  unread_for_agent integer not null default 0,
  agent_read_seq integer not null default 0,
  customer_read_seq integer not null default 0,
  created_at timestamptz not null default now(),
  last_message_at timestamptz not null default now(),
  sla_due_at timestamptz,
  closed_at timestamptz,
  check ((state = 'offered') = (offered_to_id is not null))
);
create index conversations_team_state on conversations (team_id, state);
create index conversations_assignee on conversations (assignee_id, state);
create index conversations_offered on conversations (offered_to_id) where offered_to_id is not null;
create index conversations_ticket on conversations (ticket_id);
create index conversations_provider_address on conversations (provider_id, external_address) where state <> 'closed';

-- Agents who declined or let an offer lapse: the next offer goes to someone else first.
create table conversation_declines (
  conversation_id uuid not null references conversations (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  declined_at timestamptz not null default now(),
  primary key (conversation_id, user_id)
);

create table chat_messages (
  -- Client-generated for agent and widget messages: the idempotency key of a send.
  id uuid primary key,
  conversation_id uuid not null references conversations (id) on delete cascade,
  seq integer not null check (seq > 0),
  author text not null check (author in ('customer', 'agent', 'system', 'coach')),
  author_id uuid references users (id),
  author_name text,
  kind text not null check (kind in ('text', 'note', 'event', 'attachment')),
  body text not null check (length(body) <= 4000),
  attachment_id uuid,
  event_code text,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  unique (conversation_id, seq)
);

create table chat_attachments (
  id uuid primary key,
  conversation_id uuid not null references conversations (id) on delete cascade,
  name text not null,
  mime text not null check (mime in ('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain')),
  size integer not null check (size between 0 and 5242880),
  data bytea not null,
  created_at timestamptz not null default now()
);

-- Customer sessions of the web widget: only the SHA-256 of the random token is kept.
create table widget_sessions (
  token_hash text primary key,
  conversation_id uuid not null references conversations (id) on delete cascade,
  customer_id uuid not null references customers (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index widget_sessions_conversation on widget_sessions (conversation_id);

-- The realtime log. Writers take pg_advisory_xact_lock(7600, 2) before inserting, so cursors commit in
-- the order they were handed out and a reader that saw cursor c can never later find a smaller one.
create table chat_events (
  cursor bigserial primary key,
  conversation_id uuid not null references conversations (id) on delete cascade,
  type text not null check (type in ('message', 'read', 'offer', 'assignment', 'conversation')),
  -- Who may receive it besides the conversation's team: assignee, previous assignee, offered agent.
  team_id uuid not null,
  user_ids uuid[] not null default '{}',
  -- true: every member of the team gets it (the unassigned queue); false: only user_ids and the team's leads.
  team_wide boolean not null,
  -- false: agents only (internal notes, coach whispers, offers).
  customer_visible boolean not null,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index chat_events_conversation on chat_events (conversation_id, cursor);

create table survey_responses (
  conversation_id uuid primary key references conversations (id) on delete cascade,
  ticket_id uuid not null references tickets (id) on delete cascade,
  liked text not null,
  disliked text not null,
  improve text not null,
  score integer not null check (score between 1 and 5),
  created_at timestamptz not null default now()
);

-- A provider's message id is seen once: a retried delivery finds its row and adds nothing.
create table messaging_inbound (
  provider_id text not null references messaging_providers (id) on delete cascade,
  provider_message_id text not null,
  message_id uuid not null references chat_messages (id) on delete cascade,
  received_at timestamptz not null default now(),
  primary key (provider_id, provider_message_id)
);

-- Agent replies waiting to reach a provider's callback URL; a failed post stays here and is retried.
create table messaging_outbox (
  message_id uuid primary key references chat_messages (id) on delete cascade,
  provider_id text not null references messaging_providers (id) on delete cascade,
  payload jsonb not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  delivered_at timestamptz,
  last_error text,
  created_at timestamptz not null default now()
);
create index messaging_outbox_due on messaging_outbox (next_attempt_at) where delivered_at is null;
