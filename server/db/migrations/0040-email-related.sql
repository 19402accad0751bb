-- An email naming a Message-ID of another sender's (or another gateway's) conversation starts or continues
-- its own sender's conversation instead of joining that one (server/chat/email.ts threadOf, issue 12 item 11).
-- The conversation it named is kept here, so an agent can tell the two are related and merge them by hand.
alter table conversations add column related_conversation_id uuid references conversations (id) on delete set null;
