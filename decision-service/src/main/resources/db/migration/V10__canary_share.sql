-- The canary share in force: the share of apprentice decisions drawn from the live policy, grown by
-- the promotion check as the model's evidence builds; null is the configured starting share.
alter table policy_state add column model_share double precision;
