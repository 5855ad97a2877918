-- Learning state: which decisions and outcomes the models have absorbed, and the models themselves.
alter table decision_log
  add column learned     boolean          not null default false,
  add column reward      double precision not null default 0,   -- reward learned so far
  add column window_days integer          not null default 7;   -- attribution window
create index decision_log_unlearned_idx on decision_log (logged_at) where not learned;
create index decision_log_campaign_idx on decision_log (campaign_id, control, decided_at);

-- Outcomes, deduplicated by their id. A purchase event becomes a conversion outcome without a
-- decision id; the learner attributes it to the customer's latest decision whose window holds it.
create table outcomes (
  outcome_id  text primary key,
  type        text             not null,
  customer_id text             not null,
  decision_id text,
  value       double precision,
  reward      double precision,
  occurred_at timestamptz      not null,
  received_at timestamptz      not null default now(),
  state       text             not null default 'pending' -- pending, learned, late, orphaned
);
create index outcomes_pending_idx on outcomes (received_at) where state = 'pending';
create index outcomes_decision_idx on outcomes (decision_id);
create index outcomes_customer_idx on outcomes (customer_id);

-- Sufficient statistics of every arm ("none" and one per campaign); see LinearArm.
create table arm_models (
  arm_id     text primary key,
  encoder    text        not null,
  stats      bytea       not null,
  updated_at timestamptz not null default now()
);

-- The policy in force: model version (bumped on every learning step) and mode.
create table policy_state (
  id            integer primary key check (id = 1),
  model_version bigint      not null,
  mode          text        not null, -- apprentice or live
  mode_reason   text,
  changed_at    timestamptz not null default now()
);
