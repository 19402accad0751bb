-- Issue 16, administration: the audit of every admin change, what the console edits on people that had
-- no column yet, SCIM providers, and the SIP credentials view Kamailio's auth_db reads over PostgreSQL.

-- Who changed what, when, with the row before and after (secrets never: the code writes "(set)" for them).
create table admin_audit (
  id bigserial primary key,
  at timestamptz not null default now(),
  -- null when the change came from an identity provider (SCIM) or the actor was deleted since.
  actor_id uuid references users (id) on delete set null,
  -- 'admin' (username) or 'scim:<provider id>': readable after the actor is gone.
  actor_label text not null check (length(actor_label) between 1 and 200),
  action text not null check (action ~ '^[a-z-]+\.[a-z-]+$'),
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb
);
create index admin_audit_at on admin_audit (at desc, id desc);
create index admin_audit_entity on admin_audit (entity, entity_id);

-- What routing can match a person on: skills (free tags such as "billing") and the languages they serve
-- (not the UI language, users.language).
alter table users add column skills text[] not null default '{}';
alter table users add column languages text[] not null default '{}';
-- The identity provider's id for the person and the provider that manages them (SCIM externalId).
alter table users add column external_id text;
alter table users add column scim_provider text;
alter table teams add column external_id text;

-- One bearer token per identity provider (Entra ID, Okta, ...). Only its SHA-256 is kept: the token is
-- shown once, when it is made or rotated.
create table scim_providers (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  rotated_at timestamptz
);

-- SIP credentials where Kamailio reads them when the server runs on PostgreSQL: db_postgres + auth_db with
-- DBURL pointing at this database and the table "sip_subscriber" (auth_db's columns). A view, so a
-- new extension, a rotated password or a deactivation is in force on the next REGISTER, with nothing to copy.
-- HA1 = MD5(user:realm:password) (RFC 2617 §3.2.2.2); the realm is the SIP domain, kept in one row.
create table sip_realm (
  only_row boolean primary key default true check (only_row),
  realm text not null default '127.0.0.1' check (realm ~ '^[A-Za-z0-9.-]{1,253}$')
);
insert into sip_realm default values;
create view sip_subscriber as
  select u.extension as username, r.realm as domain,
         md5(u.extension || ':' || r.realm || ':' || u.sip_password) as ha1,
         md5(u.extension || '@' || r.realm || ':' || r.realm || ':' || u.sip_password) as ha1b
  from users u cross join sip_realm r
  where u.extension is not null and u.sip_password is not null and not u.disabled;
