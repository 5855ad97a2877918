-- Outbox rows the broker cannot take (over its record size limit, or refused for good): set aside
-- with the reason, so the rows behind them flow on. An operator inspects and re-sends or drops them.
create table outbox_parked (
  id          bigint      primary key,
  topic       text        not null,
  message_key text        not null,
  payload     text,
  reason      text        not null,
  created_at  timestamptz not null,
  parked_at   timestamptz not null default now()
);
