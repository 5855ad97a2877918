-- Every decision with what it was chosen from: the log that makes off-policy evaluation possible.
-- Derived from nextbest.decisions.v1 (the record of truth); the primary key makes replays no-ops.
create table decision_log (
  decision_id    text primary key,
  moment_id      text,
  customer_id    text             not null,
  campaign_id    text,
  channel        text,
  placement      text,
  propensity     double precision not null,
  policy_version text             not null,
  control        boolean          not null,
  candidates     text             not null default '[]', -- JSON array of campaign ids
  features       jsonb            not null default '{}'::jsonb,
  decided_at     timestamptz      not null,
  logged_at      timestamptz      not null default now()
);
create index decision_log_customer_idx on decision_log (customer_id, decided_at);
