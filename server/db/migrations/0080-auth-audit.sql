-- Refused sign-ins (server/auth/authAudit.ts): one row per refusal, so an admin can see a password spray,
-- a throttled address or a refused single sign-on after the fact. Written in batches about once a second,
-- so a flood of refusals costs one INSERT a second, not one per request.
create table auth_audit (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  -- login-failed: wrong password or unknown user (401); login-throttled: 429; login-busy: hashing at
  -- capacity (503); login-disabled: right password, disabled account; sso-refused: no agent may be linked;
  -- refusals-dropped: the batch was full, `detail` says how many refusals were not written one by one.
  event text not null check (event in ('login-failed', 'login-throttled', 'login-busy', 'login-disabled', 'sso-refused', 'refusals-dropped')),
  -- The username as typed (at most 100 characters), or the identity's subject for single sign-on.
  username text,
  -- The client address as the server sees it (through a trusted proxy: the forwarded one).
  address text,
  detail text
);
create index auth_audit_at on auth_audit (at);
