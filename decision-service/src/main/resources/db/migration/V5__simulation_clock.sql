-- Decisions of a simulation or replay (taken at another moment than now, 'simulatedBy' in their
-- explanation) close their horizons on the simulation's own clock, live ones on the wall clock.
drop index decision_log_open_idx;
drop index decision_log_open_long_idx;
create index decision_log_open_idx
  on decision_log ((features -> 'policy' ? 'simulatedBy'), decided_at) where not learned;
create index decision_log_open_long_idx
  on decision_log ((features -> 'policy' ? 'simulatedBy'), decided_at) where not learned_long;
