-- Blocked customers (issue 20, server/mood/blocks.ts): a team lead blocks an abusive customer by contact
-- and, for the web widget, by the address the widget session came from, until `expires_at`. Rows are never
-- deleted: who blocked, why, and who lifted it when stay as the audit trail.
alter table widget_sessions add column address text;

create table customer_blocks (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references teams (id) on delete cascade,
  conversation_id uuid references conversations (id) on delete set null,
  customer_id uuid references customers (id) on delete set null,
  address text,
  reason text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  lifted_by uuid references users (id) on delete set null,
  lifted_at timestamptz
);
create index customer_blocks_address on customer_blocks (address) where lifted_at is null;
create index customer_blocks_customer on customer_blocks (customer_id) where lifted_at is null;
