-- Campaigns: what may be offered, where, and in which priority.
create table campaigns (
  id         text primary key,
  name       text        not null,
  status     text        not null default 'active',
  priority   integer,
  channel    text        not null,
  placement  text,
  rule       text        not null default 'true',
  starts_at  timestamptz,
  ends_at    timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Seed campaigns, always eligible: a web welcome banner and an e-mail newsletter.
insert into campaigns (id, name, priority, channel, placement, rule) values
  ('welcome', 'Welcome banner', 50, 'web', 'home-hero', 'true'),
  ('newsletter', 'Monthly newsletter', 10, 'email', null, 'true');
