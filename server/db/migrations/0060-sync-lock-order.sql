-- One lock order for every transaction that writes synced rows (issue 12, item 12):
--
--   chat routing → conversation rows → chat event log (7600, 2) → sync versions (7600, 1) → ticket rows
--
-- 0003's row trigger took the version lock inside the write, after the statement had locked the row
-- (and after a push's `select … for update`), so two writers locking rows in different orders waited on
-- each other's row while holding the version lock: a deadlock PostgreSQL answered by killing one.
-- Now both advisory locks are taken before any row of the statement is locked, by a statement-level
-- trigger, and writers that lock rows first (push: `select … for no key update`) call sync_lock_writes()
-- at the start of their transaction. The event-log lock comes first because chat transactions append
-- events before and after their ticket writes; taking it here keeps the order the same for all of them.
create function sync_lock_writes() returns void language plpgsql as $$
begin
  perform pg_advisory_xact_lock(7600, 2);
  perform pg_advisory_xact_lock(7600, 1);
end
$$;

create function sync_lock_writes_statement() returns trigger language plpgsql as $$
begin
  perform sync_lock_writes();
  return null;
end
$$;

create trigger tickets_lock_writes before insert or update on tickets for each statement execute function sync_lock_writes_statement();
create trigger ticket_comments_lock_writes before insert or update on ticket_comments for each statement execute function sync_lock_writes_statement();
create trigger customers_lock_writes before insert or update on customers for each statement execute function sync_lock_writes_statement();

-- The row trigger only stamps: its statement already holds the lock, so versions still commit in the
-- order they are handed out (0003-sync.sql), which pull's high-water mark relies on.
create or replace function sync_stamp_version() returns trigger language plpgsql as $$
begin
  new.version := nextval('sync_version');
  return new;
end
$$;
