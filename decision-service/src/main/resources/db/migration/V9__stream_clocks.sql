-- Every simulation (the subject that decided at moments other than now) has a stream clock of its
-- own: a replay or a test near today never closes another simulation's horizons early. A clock
-- starts again from its simulation's open decisions.
create table stream_clocks (
  simulated_by text primary key,
  clock        timestamptz not null
);
alter table policy_state drop column clock;
drop index decision_log_open_idx;
drop index decision_log_open_long_idx;
create index decision_log_open_idx
  on decision_log ((features -> 'policy' ->> 'simulatedBy'), decided_at) where not learned;
create index decision_log_open_long_idx
  on decision_log ((features -> 'policy' ->> 'simulatedBy'), decided_at) where not learned_long;
