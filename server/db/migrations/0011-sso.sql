-- Single sign-on (server/auth/oidc.ts): which company identity is which agent, and which one-time values
-- were already redeemed.

-- The first sign-in maps a person to an agent by a claim (SWITCHBOARD_OIDC_USERNAME_CLAIM); from then on
-- the provider's stable (issuer, subject) pair decides, so a renamed e-mail or username at the company
-- cannot move a person onto someone else's agent account (OpenID Connect Core §5.7).
create table sso_identities (
  issuer text not null,
  subject text not null,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz not null default now(),
  primary key (issuer, subject)
);
create index sso_identities_user on sso_identities (user_id);

-- SHA-256 of each authorization code and ID-token nonce this server redeemed, kept until they could no
-- longer be valid anyway. A second presentation is refused here even if a provider failed to enforce
-- one-time codes (RFC 6749 §4.1.2), and a captured ID token cannot be replayed with its nonce.
create table sso_consumed (
  digest text primary key,
  expires_at timestamptz not null
);
create index sso_consumed_expires on sso_consumed (expires_at);
