-- Offline-first sync (Replicache model): change versions for pull, client bookkeeping for push.

-- One global change sequence. Every write to a synced row stamps the row with the next value, so a
-- client's cursor is one number and "what changed since" is a keyset scan on `version`.
create sequence sync_version;

-- Writers of synced rows take this transaction-scoped lock before taking a version, so versions commit
-- in the order they were handed out: once version v is visible, no smaller version can appear later,
-- and a pull that read up to v can never skip a row committed afterwards with a smaller number.
create function sync_stamp_version() returns trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock(7600, 1);
  new.version := nextval('sync_version');
  return new;
end
$$;

-- Existing ticket versions were per-row counters; restamp them on the global sequence.
update tickets set version = nextval('sync_version');
alter table tickets alter column version drop default;
create trigger tickets_version before insert or update on tickets for each row execute function sync_stamp_version();
create index tickets_version on tickets (version);

-- core's createTicket defaults the channel to 'phone'; keep the server's names and accept it too.
alter table tickets drop constraint tickets_channel_check;
alter table tickets add constraint tickets_channel_check check (channel in ('web', 'chat', 'messaging', 'email', 'voice', 'phone'));

alter table ticket_comments add column version bigint;
update ticket_comments set version = nextval('sync_version');
alter table ticket_comments alter column version set not null;
create trigger ticket_comments_version before insert or update on ticket_comments for each row execute function sync_stamp_version();
create index ticket_comments_version on ticket_comments (version);

alter table customers add column updated_at timestamptz not null default now();
alter table customers add column version bigint;
update customers set version = nextval('sync_version');
alter table customers alter column version set not null;
create trigger customers_version before insert or update on customers for each row execute function sync_stamp_version();
create index customers_version on customers (version);

-- Who could see a ticket before it moved: pull turns these into `removed` for users whose scope it left.
-- Written by the trigger below for every change of assignee or team, whoever made it.
create table ticket_scope_changes (
  ticket_id uuid not null references tickets (id) on delete cascade,
  version bigint not null,
  old_assignee_id uuid,
  old_team_id uuid,
  primary key (version, ticket_id)
);

create function sync_track_scope() returns trigger language plpgsql as $$
begin
  if new.assignee_id is distinct from old.assignee_id or new.team_id is distinct from old.team_id then
    insert into ticket_scope_changes (ticket_id, version, old_assignee_id, old_team_id)
    values (new.id, new.version, old.assignee_id, old.team_id);
  end if;
  return null;
end
$$;
create trigger tickets_scope after update on tickets for each row execute function sync_track_scope();

-- Tickets an agent worked on recently stay in their scope for a while after they leave their queue.
create table ticket_touches (
  user_id uuid not null references users (id) on delete cascade,
  ticket_id uuid not null references tickets (id) on delete cascade,
  touched_at timestamptz not null,
  primary key (user_id, ticket_id)
);
create index ticket_touches_ticket on ticket_touches (ticket_id);

-- One row per client (one browser profile or desktop install of one user).
create table sync_clients (
  client_id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  last_mutation_id bigint not null default 0,
  created_at timestamptz not null default now(),
  last_seen timestamptz not null default now()
);
create index sync_clients_user on sync_clients (user_id);

-- The outcome of every processed mutation, so a replay gets the same answer without running it again.
create table sync_mutation_log (
  client_id uuid not null references sync_clients (client_id) on delete cascade,
  mutation_id bigint not null,
  name text not null,
  status text not null check (status in ('applied', 'failed')),
  -- {"code": "...", "message": "..."} for a failure
  error jsonb,
  applied_at timestamptz not null default now(),
  primary key (client_id, mutation_id)
);
