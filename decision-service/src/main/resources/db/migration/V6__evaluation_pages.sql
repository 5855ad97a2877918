-- Off-policy evaluations read the decision log a page at a time in time order.
create index decision_log_decided_idx on decision_log (decided_at, decision_id);
