-- The moment the data stood at when a CLV model was fitted, declared for a historical load
-- (bin/nextbest import --as-of): every profile's features and predictions are then computed as of
-- it. Null for live data: each profile as of the moment it is derived.
alter table clv_models add column as_of timestamptz;
