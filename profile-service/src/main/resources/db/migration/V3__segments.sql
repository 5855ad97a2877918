-- Segments: rule segments (a CEL expression over the profile) and the five marketing segments
-- the K-means clustering labels. Membership is re-evaluated on every profile change.
create table segments (
  id          text primary key,
  name        text        not null,
  description text,
  kind        text        not null check (kind in ('rule', 'cluster')),
  rule        text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

insert into segments (id, name, kind, description) values
  ('high-value', 'High value', 'cluster',
   'Highest expected 12-month value and order values: keep them delighted.'),
  ('loyal', 'Loyal', 'cluster',
   'Frequent, long-standing and still active buyers.'),
  ('opportunity', 'Opportunity', 'cluster',
   'Active but of modest value so far: room to grow with the right offer.'),
  ('at-risk', 'At risk', 'cluster',
   'Bought before but long quiet, low probability of being alive: win them back.'),
  ('new-exploring', 'New / exploring', 'cluster',
   'Recent first purchases or no purchase yet: still finding their way.');

-- Who is in which segment, since when; the customer row also lists its segment ids.
create table segment_members (
  segment_id  text        not null references segments (id) on delete cascade,
  customer_id text        not null,
  entered_at  timestamptz not null default now(),
  primary key (segment_id, customer_id)
);
create index segment_members_customer_idx on segment_members (customer_id);

-- a JSON array kept as text
alter table customers add column segments text not null default '[]';

-- K-means fits over scaled RFM + CLV features, one row per fit; the newest is in use.
create table segment_models (
  version   bigserial primary key,
  fitted_at timestamptz not null default now(),
  customers bigint      not null,
  model     jsonb       not null
);
