-- Issue 17, voice queues: a team's queue numbers, the agents' routing skills, and the calls waiting in line
-- (core/queue/routing.ts draws the call's states; server/queues/ runs them).

create table voice_queues (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references teams (id) on delete cascade,
  name text not null check (length(name) between 1 and 60),
  -- The number a customer dials; the PBX hands calls to it to the queue's holder.
  number text not null unique check (number ~ '^[0-9]{2,10}$'),
  -- Every skill is needed; lower-case words.
  skills text[] not null default '{}' check (array_position(skills, null) is null),
  language text check (language in ('en', 'zh-CN', 'zh-TW')),
  strategy text not null default 'longest-idle' check (strategy in ('longest-idle', 'fewest-answered')),
  -- An offer rings this long, then goes to the next agent and the first is set not-ready.
  ring_seconds integer not null default 20 check (ring_seconds between 5 and 120),
  -- After this long in line the caller is offered a callback (or voicemail).
  max_wait_seconds integer not null default 300 check (max_wait_seconds between 30 and 7200),
  on_max_wait text not null default 'callback' check (on_max_wait in ('callback', 'voicemail')),
  answer_target_seconds integer not null default 20 check (answer_target_seconds between 5 and 3600),
  created_at timestamptz not null default now()
);
create index voice_queues_team on voice_queues (team_id);

-- An agent's routing data. `call_id` is the call ringing at or connected to the agent: dispatch locks this
-- row (for update skip locked) and sets it in the same transaction as the call's offer, so two dispatchers
-- can never both offer to one agent, and an agent on a call is not free for another call (or, unless the
-- team allows it, a chat).
create table agent_routing (
  user_id uuid primary key references users (id) on delete cascade,
  skills text[] not null default '{}' check (array_position(skills, null) is null),
  languages text[] not null default '{en}',
  -- Since when the agent has been without a call: longest idle first.
  idle_since timestamptz not null default now(),
  answered_day date,
  answered_today integer not null default 0,
  call_id uuid,
  -- Why the server last set the agent not-ready (an offer rang out), shown in their app until they are back.
  not_ready_reason text check (not_ready_reason in ('rang-out')),
  not_ready_queue text,
  not_ready_at timestamptz
);
create unique index agent_routing_one_call on agent_routing (call_id) where call_id is not null;

-- Whether a team's agents may get a new chat while on a call (off by default: one notion of busy).
create table team_call_settings (
  team_id uuid primary key references teams (id) on delete cascade,
  chats_during_calls boolean not null default false
);

create table queue_calls (
  id uuid primary key default gen_random_uuid(),
  queue_id uuid not null references voice_queues (id) on delete cascade,
  team_id uuid not null references teams (id) on delete cascade,
  -- The caller's number or SIP user (untrusted text, shown as text), and the customer it matched.
  caller text not null check (length(caller) between 1 and 128),
  customer_id uuid references customers (id) on delete set null,
  state text not null check (state in ('waiting', 'offered', 'connected', 'ended', 'abandoned', 'voicemail')),
  -- The customer asked to be called back: they hung up but keep their place (enqueued_at is unchanged).
  callback boolean not null default false,
  enqueued_at timestamptz not null,
  offered_to uuid references users (id) on delete set null,
  offer_expires_at timestamptz,
  agent_id uuid references users (id) on delete set null,
  answered_at timestamptz,
  ended_at timestamptz,
  -- Agents who let it ring out or declined: tried again only when nobody else is free.
  declined_by uuid[] not null default '{}',
  check ((state = 'offered') = (offered_to is not null and offer_expires_at is not null))
);
-- Database-enforced: one agent rings for at most one call and talks on at most one.
create unique index queue_calls_one_offer_per_agent on queue_calls (offered_to) where state = 'offered';
create unique index queue_calls_one_connected_per_agent on queue_calls (agent_id) where state = 'connected';
create index queue_calls_line on queue_calls (enqueued_at, id) where state = 'waiting';
create index queue_calls_team_time on queue_calls (team_id, enqueued_at);

-- Queue figures go through the contact event log: a caller who hung up unanswered, and a callback request.
alter table contact_events drop constraint contact_events_kind_check;
alter table contact_events add constraint contact_events_kind_check
  check (kind in ('offered', 'answered', 'first_response', 'transferred', 'ended', 'wrap_up', 'survey', 'sla_met', 'sla_missed', 'abandoned', 'callback'));

-- A company's own PBX (Asterisk, FreeSWITCH, Kamailio + a media server) that holds queue calls and bridges
-- them to the agent the server picks: it signs its requests with this secret (same scheme as the chat
-- providers' webhooks: `x-switchboard-signature: t=<seconds>,v1=<hmac-sha256 hex>`).
create table pbx_connectors (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name text not null,
  secret text not null check (length(secret) >= 16),
  created_at timestamptz not null default now()
);
