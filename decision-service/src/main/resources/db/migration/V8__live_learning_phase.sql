-- Live mode's learning phase: a live model decides as the apprentice does (manual priority with the
-- live policy's canary share) until its off-policy evidence clears manual priority's value. An
-- installation already live keeps deciding fully live.
alter table policy_state add column learning boolean not null default false;
alter table policy_mode_history add column learning boolean not null default false;
