-- Campaigns keep their whole definition (JSON, see CampaignSpec) with a version; every change is
-- kept in campaign_versions. Contact history is the source of truth for frequency caps.
drop table campaigns;
create table campaigns (
  id         text primary key,
  version    integer     not null,
  definition text        not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table campaign_versions (
  campaign_id text        not null,
  version     integer     not null,
  action      text        not null check (action in ('created', 'updated', 'deleted')),
  definition  text        not null,
  changed_by  text        not null,
  changed_at  timestamptz not null default now(),
  primary key (campaign_id, version)
);

create table contact_history (
  decision_id text primary key,
  customer_id text        not null,
  campaign_id text        not null,
  channel     text        not null,
  sent_at     timestamptz not null
);
create index contact_history_customer on contact_history (customer_id, sent_at);

create table do_not_contact (
  customer_id text        not null,
  channel     text        not null, -- a channel, or '*' for all
  reason      text,
  added_at    timestamptz not null default now(),
  primary key (customer_id, channel)
);

create table eligibility_settings (
  id         integer primary key check (id = 1),
  version    integer     not null,
  settings   text        not null,
  updated_at timestamptz not null default now()
);

insert into campaigns (id, version, definition) values
  ('welcome', 1, '{"id":"welcome","name":"Welcome banner","status":"active","goal":"conversion","channels":["web"],"placement":"home-hero","priorityMode":"manual","priority":50,"trigger":{"type":"realtime"},"rule":"true","controlPercent":0,"attributionWindowDays":7}'),
  ('newsletter', 1, '{"id":"newsletter","name":"Monthly newsletter","status":"active","goal":"visits","channels":["email"],"priorityMode":"manual","priority":10,"trigger":{"type":"schedule","everyMinutes":43200},"rule":"true","controlPercent":0,"attributionWindowDays":7,"cap":{"max":1,"days":25}}');
insert into campaign_versions (campaign_id, version, action, definition, changed_by)
  select id, version, 'created', definition, 'migration' from campaigns;

insert into eligibility_settings (id, version, settings) values (1, 1,
  '{"controlGroupPercent":0,"controlGroupSalt":"nextbest","exclusionSegment":null,"defaultTimezone":"UTC","quietHours":{"sms":{"from":"21:00","to":"08:00"},"push":{"from":"21:00","to":"08:00"}},"channelCaps":[{"channel":"email","max":3,"days":7},{"channel":"sms","max":2,"days":7},{"channel":"push","max":5,"days":7}]}');
