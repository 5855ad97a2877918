-- A decision's reward is what its own fixed horizon earned (conversions of its customer, each
-- order once), learned when the horizon has closed in stream time; campaigns that open journeys
-- are also valued on a longer horizon. Promotion and the policy view read running sums.
alter table outcomes add column order_id text;
create index outcomes_conversions_idx on outcomes (customer_id, occurred_at) where type = 'conversion';

alter table decision_log
  add column learned_long boolean not null default false,
  add column reward_long  double precision;
create index decision_log_open_idx on decision_log (decided_at) where not learned;
create index decision_log_open_long_idx on decision_log (decided_at) where not learned_long;

-- stream time: the latest moment decided (a simulation's clock, or now)
alter table policy_state add column clock timestamptz;

-- Running sums of off-policy and on-policy value per bucket (decisions of apprentice mode, of the
-- live model since it went live) and target policy: n, Σw, Σw·r, Σw², Σw²·r, Σw²·r², and how
-- often the target's top action was the logging policy's top action.
create table policy_sums (
  bucket  text             not null,
  policy  text             not null,
  n       bigint           not null default 0,
  sw      double precision not null default 0,
  swr     double precision not null default 0,
  sw2     double precision not null default 0,
  sw2r    double precision not null default 0,
  sw2r2   double precision not null default 0,
  matches bigint           not null default 0,
  primary key (bucket, policy)
);
alter table policy_sums
  add column sdr  double precision not null default 0,
  add column sdr2 double precision not null default 0;
create index outcomes_conversions_received_idx on outcomes (received_at) where type = 'conversion';
