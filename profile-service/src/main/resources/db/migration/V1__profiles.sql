-- Customers with their running aggregates; version increases with every change (snapshot ids).
create table customers (
  customer_id    text primary key,
  attributes     jsonb       not null default '{}'::jsonb,
  event_count    bigint      not null default 0,
  purchase_count bigint      not null default 0,
  monetary       numeric(16, 2) not null default 0,
  first_event_at timestamptz,
  last_event_at  timestamptz,
  version        bigint      not null default 0,
  updated_at     timestamptz not null default now()
);

-- Accepted events, one row per client event id: replays hit the primary key and are ignored.
create table events (
  event_id    text primary key,
  customer_id text        not null,
  type        text        not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  properties  jsonb       not null default '{}'::jsonb
);
create index events_customer_idx on events (customer_id, occurred_at);

-- Transactional outbox: rows written in the same transaction as the state they describe,
-- relayed to Kafka in id order and deleted once the broker acknowledged them.
create table outbox (
  id          bigserial primary key,
  topic       text        not null,
  message_key text        not null,
  payload     text        not null,
  created_at  timestamptz not null default now()
);
