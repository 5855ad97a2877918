-- Content of a campaign at a placement: Qute templates over the profile.
create table templates (
  id          bigserial primary key,
  campaign_id text        not null,
  placement   text        not null,
  variant_id  text        not null default 'a',
  locale      text        not null default 'en',
  headline    text        not null,
  body        text        not null,
  cta         text        not null,
  created_at  timestamptz not null default now(),
  unique (campaign_id, placement, variant_id, locale)
);

-- What a placement shows when no campaign applies.
create table placement_defaults (
  placement text primary key,
  headline  text not null,
  body      text not null,
  cta       text not null
);

-- The latest decision per customer and placement, derived from nextbest.decisions.v1.
create table customer_decisions (
  customer_id text        not null,
  placement   text        not null,
  decision_id text        not null,
  campaign_id text,
  decided_at  timestamptz not null,
  primary key (customer_id, placement)
);

insert into templates (campaign_id, placement, headline, body, cta) values
  ('welcome', 'home-hero', 'Welcome, {profile.name ?: ''friend''}!',
   'New here? Take 10% off your first order.', 'Start shopping');
insert into placement_defaults (placement, headline, body, cta) values
  ('home-hero', 'This week''s picks', 'Fresh arrivals across the store.', 'Browse'),
  ('product-banner', 'Free delivery over 50', 'On every order, every day.', 'Learn more'),
  ('cart', 'Almost there', 'Complete your order in two clicks.', 'Checkout');
