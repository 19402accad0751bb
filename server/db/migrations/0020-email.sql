-- Email as a chat channel (server/chat/email.ts). Gateways are rows of messaging_providers (secret and
-- callback URL); a redelivered email is found in messaging_inbound by its Message-ID.

-- The email subject of an email conversation (null for other channels); the inbox row shows it.
alter table conversations add column subject text;

-- Every Message-ID a conversation received or sent, so a reply naming one in In-Reply-To or References
-- threads into it. Outbound ids are minted by the server when the agent's reply is queued.
create table email_threads (
  message_id_header text not null,
  conversation_id uuid not null references conversations (id) on delete cascade,
  direction text not null check (direction in ('inbound', 'outbound')),
  created_at timestamptz not null default now(),
  primary key (message_id_header, conversation_id)
);
create index email_threads_conversation on email_threads (conversation_id, created_at);
