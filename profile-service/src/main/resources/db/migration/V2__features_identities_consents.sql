-- Incremental feature state (purchase days, category interest, engagement by hour of week) and
-- consents per channel live with the customer, so one row lock covers a whole profile change.
alter table customers add column state jsonb not null default '{}'::jsonb;
alter table customers add column consents jsonb not null default '{}'::jsonb;

-- Identity stitching: an alias (anonymous or secondary id) resolves to its merged customer.
create table identities (
  alias_id    text primary key,
  customer_id text        not null,
  merged_at   timestamptz not null default now()
);
create index identities_customer_idx on identities (customer_id);

-- Population CLV models, one row per fit; the newest is in use.
create table clv_models (
  version      bigserial primary key,
  fitted_at    timestamptz      not null default now(),
  customers    bigint           not null,
  r            double precision not null,
  alpha        double precision not null,
  a            double precision not null,
  b            double precision not null,
  p            double precision not null,
  q            double precision not null,
  gamma        double precision not null,
  bg_log_likelihood double precision not null,
  gg_log_likelihood double precision
);

-- A null payload is a tombstone (compacted topics forget the key).
alter table outbox alter column payload drop not null;
