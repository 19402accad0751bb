-- Customers' mood (issue 20, server/mood): one row per customer text message, written in the same
-- transaction as the message (server/chat/store.ts insertMessage), so a message never lacks its mood.
create table message_moods (
  message_id uuid primary key references chat_messages (id) on delete cascade,
  conversation_id uuid not null references conversations (id) on delete cascade,
  seq integer not null,
  -- -1 (furious) … +1 (delighted), core/mood/score.ts
  score real not null check (score between -1 and 1),
  negative boolean not null,
  -- how many insult or profanity stretches the message has (core/mood/abuse.ts); the app masks them
  abuse_count integer not null default 0,
  created_at timestamptz not null
);
create index message_moods_conversation on message_moods (conversation_id, seq);

-- Alerts to the conversation team's leads: the mood fell below the threshold, dropped sharply, or the
-- agent flagged the customer as abusive. delivered_at is set when the alert scanner has sent it on the hub.
create table mood_alerts (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  team_id uuid not null references teams (id) on delete cascade,
  kind text not null check (kind in ('low', 'drop', 'abusive')),
  score real,
  raised_by uuid references users (id) on delete set null,
  raised_at timestamptz not null,
  delivered_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by uuid references users (id) on delete set null
);
create index mood_alerts_undelivered on mood_alerts (raised_at) where delivered_at is null;
create index mood_alerts_team on mood_alerts (team_id, raised_at);
