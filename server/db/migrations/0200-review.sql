-- Quality (issue 19): conversation review for leads, its access audit, the team's review retention, and
-- the indexes that keep a search over a year of a team's conversations a keyset walk instead of a scan.

-- How far back a lead may review (and, by policy, how long the record is kept for review): one year unless
-- the team says otherwise. 30 days was the old tool's limit and the reason for the issue.
alter table teams add column if not exists review_retention_days integer not null default 365 check (review_retention_days between 30 and 3650);

-- Search walks (created_at desc, id desc) within one team, narrowed by agent, channel or customer first
-- when the lead gives one; the page's key is the last row's (created_at, id).
create index if not exists conversations_review_team on conversations (team_id, created_at desc, id desc);
create index if not exists conversations_review_agent on conversations (team_id, assignee_id, created_at desc, id desc);
create index if not exists conversations_review_channel on conversations (team_id, channel, created_at desc, id desc);
create index if not exists conversations_review_customer on conversations (customer_id, created_at desc, id desc);
create index if not exists conversations_review_all on conversations (created_at desc, id desc);
create index if not exists tickets_tags on tickets using gin (tags);
create index if not exists survey_responses_score on survey_responses (score, conversation_id);

-- Every review access: each search (with its filters) and each opened record, allowed or refused.
-- No foreign keys on purpose: the audit outlives a deleted user or conversation.
create table review_audit (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_id uuid not null,
  actor_role text not null check (actor_role in ('agent', 'lead', 'admin')),
  action text not null check (action in ('search', 'open')),
  outcome text not null check (outcome in ('allowed', 'refused')),
  -- The teams the access reached (search) or the conversation's team (open); empty when refused before.
  team_ids uuid[] not null default '{}',
  conversation_id uuid,
  query jsonb not null default '{}'
);
create index review_audit_team on review_audit using gin (team_ids);
create index review_audit_at on review_audit (at desc, id desc);
create index review_audit_conversation on review_audit (conversation_id, at) where conversation_id is not null;

create function review_audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'review_audit is append-only: % refused', tg_op using errcode = 'restrict_violation';
end $$;
create trigger review_audit_append_only before update or delete or truncate on review_audit
  for each statement execute function review_audit_refuse_change();
