-- How each single sign-on link was made (server/auth/ssoAccounts.ts). 'claim': on a first sign-in, by the
-- username claim; 'admin': set by an administrator (npx tsx server/linkSso.ts). Team leads and admins sign in
-- only through 'admin' links: a username claim is not proof of identity (OpenID Connect Core §5.7 says
-- preferred_username must not be relied on as unique), and naming `admin` must not be a way into it.
-- Links made before this migration were made by the claim: they still serve agents, but a lead or admin
-- must be linked again by an administrator, since such a link may be exactly the one this closes.
alter table sso_identities add column linked_by text not null default 'claim' check (linked_by in ('claim', 'admin'));
