-- One row per sweep of a scheduled campaign; (campaign_id, slot) claims a schedule slot once, so
-- replicas never sweep the same slot twice.
create table campaign_sweeps (
  sweep_id    text primary key,
  campaign_id text        not null,
  slot        bigint      not null,
  started_at  timestamptz not null default now(),
  finished_at timestamptz,
  customers   bigint      not null default 0,
  moments     bigint      not null default 0,
  error       text,
  unique (campaign_id, slot)
);
