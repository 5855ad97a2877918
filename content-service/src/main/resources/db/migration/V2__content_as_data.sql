-- Content is data: placements, locales with fallback chains, templates with variants per locale,
-- what each variant earned, and the co-purchase graph behind recommendations.
drop table customer_decisions;
drop table placement_defaults;
drop table templates;

create table placements (
  name      text primary key,
  channel   text not null,
  fields    text not null, -- comma-separated fields every variant must define
  budget_ms int  not null default 150
);

create table locales (
  tag      text primary key,
  fallback text,
  name     text not null
);

-- A template: a campaign's content at a placement (campaign_id null: the placement's default).
-- variants holds the variants as JSON: [{"id", "locales": {tag: {field: Qute source}}}].
create table templates (
  id             bigserial primary key,
  campaign_id    text,
  placement      text        not null references placements (name),
  optimize_for   text        not null default 'click',
  default_locale text        not null default 'en',
  variants       text        not null,
  version        int         not null default 1,
  updated_at     timestamptz not null default now()
);
create unique index templates_campaign_placement on templates (coalesce(campaign_id, ''), placement);

-- Impressions logged by content-service; clicks and conversions flag them once.
create table impressions (
  decision_id text primary key,
  customer_id text        not null,
  template_id bigint      not null,
  variant_id  text        not null,
  locale      text        not null,
  clicked     boolean     not null default false,
  converted   boolean     not null default false,
  shown_at    timestamptz not null
);
create index impressions_customer on impressions (customer_id);

-- Pooled over the variant's translations.
create table variant_stats (
  template_id bigint not null,
  variant_id  text   not null,
  impressions bigint not null default 0,
  clicks      bigint not null default 0,
  conversions bigint not null default 0,
  primary key (template_id, variant_id)
);

create table seen_purchases (
  event_id text primary key
);
create table item_stats (
  item   text primary key,
  name   text,
  orders bigint not null
);
create table item_pairs (
  a      text   not null,
  b      text   not null,
  orders bigint not null,
  primary key (a, b)
);
create table customer_items (
  customer_id text        not null,
  item        text        not null,
  bought_at   timestamptz not null,
  primary key (customer_id, item)
);

insert into placements (name, channel, fields, budget_ms) values
  ('home-hero', 'web', 'headline,body,cta', 150),
  ('product-banner', 'web', 'headline,body,cta', 150),
  ('cart', 'web', 'headline,body,cta', 150),
  ('in-app-card', 'in-app', 'headline,body,cta', 150),
  ('email', 'email', 'subject,body', 1000),
  ('push', 'push', 'title,body', 1000);

insert into locales (tag, fallback, name) values
  ('en', null, 'English'),
  ('en-US', 'en', 'English (United States)'),
  ('en-GB', 'en', 'English (United Kingdom)'),
  ('en-IE', 'en-GB', 'English (Ireland)'),
  ('en-AU', 'en-GB', 'English (Australia)'),
  ('en-IN', 'en-GB', 'English (India)'),
  ('es', 'en', 'Spanish'),
  ('es-ES', 'es', 'Spanish (Spain)'),
  ('es-MX', 'es', 'Spanish (Mexico)'),
  ('es-AR', 'es', 'Spanish (Argentina)'),
  ('es-CO', 'es', 'Spanish (Colombia)'),
  ('es-US', 'es-MX', 'Spanish (United States)'),
  ('ca', 'es', 'Catalan'),
  ('eu', 'es', 'Basque'),
  ('gl', 'es', 'Galician'),
  ('pt', 'en', 'Portuguese'),
  ('pt-BR', 'pt', 'Portuguese (Brazil)'),
  ('pt-PT', 'pt', 'Portuguese (Portugal)'),
  ('fr', 'en', 'French'),
  ('fr-FR', 'fr', 'French (France)'),
  ('fr-CA', 'fr', 'French (Canada)'),
  ('fr-BE', 'fr', 'French (Belgium)'),
  ('fr-CH', 'fr', 'French (Switzerland)'),
  ('de', 'en', 'German'),
  ('de-DE', 'de', 'German (Germany)'),
  ('de-AT', 'de', 'German (Austria)'),
  ('de-CH', 'de', 'German (Switzerland)'),
  ('it', 'en', 'Italian'),
  ('nl', 'en', 'Dutch'),
  ('nl-BE', 'nl', 'Dutch (Belgium)'),
  ('sv', 'en', 'Swedish'),
  ('da', 'en', 'Danish'),
  ('nb', 'en', 'Norwegian Bokmål'),
  ('nn', 'nb', 'Norwegian Nynorsk'),
  ('fi', 'en', 'Finnish'),
  ('is', 'en', 'Icelandic'),
  ('pl', 'en', 'Polish'),
  ('cs', 'en', 'Czech'),
  ('sk', 'cs', 'Slovak'),
  ('hu', 'en', 'Hungarian'),
  ('ro', 'en', 'Romanian'),
  ('bg', 'en', 'Bulgarian'),
  ('el', 'en', 'Greek'),
  ('tr', 'en', 'Turkish'),
  ('ru', 'en', 'Russian'),
  ('uk', 'en', 'Ukrainian'),
  ('hr', 'en', 'Croatian'),
  ('sr', 'hr', 'Serbian'),
  ('bs', 'hr', 'Bosnian'),
  ('sl', 'en', 'Slovenian'),
  ('lt', 'en', 'Lithuanian'),
  ('lv', 'en', 'Latvian'),
  ('et', 'en', 'Estonian'),
  ('he', 'en', 'Hebrew'),
  ('ar', 'en', 'Arabic'),
  ('fa', 'en', 'Persian'),
  ('hi', 'en', 'Hindi'),
  ('bn', 'en', 'Bengali'),
  ('ur', 'en', 'Urdu'),
  ('ta', 'en', 'Tamil'),
  ('th', 'en', 'Thai'),
  ('vi', 'en', 'Vietnamese'),
  ('id', 'en', 'Indonesian'),
  ('ms', 'id', 'Malay'),
  ('fil', 'en', 'Filipino'),
  ('zh', 'en', 'Chinese'),
  ('zh-CN', 'zh', 'Chinese (Simplified)'),
  ('zh-TW', 'zh', 'Chinese (Traditional)'),
  ('zh-HK', 'zh-TW', 'Chinese (Hong Kong)'),
  ('ja', 'en', 'Japanese'),
  ('ko', 'en', 'Korean'),
  ('sw', 'en', 'Swahili'),
  ('af', 'en', 'Afrikaans');

insert into templates (campaign_id, placement, variants) values
  (null, 'home-hero', '[{"id":"default","locales":{"en":{"headline":"This week''s picks","body":"Fresh arrivals across the store.","cta":"Browse","url":"/demo/#new"},"es":{"headline":"Lo mejor de la semana","body":"Novedades en toda la tienda.","cta":"Ver","url":"/demo/#new"}}}]'),
  (null, 'product-banner', '[{"id":"default","locales":{"en":{"headline":"Free delivery over 50","body":"On every order, every day.","cta":"Learn more"},"es":{"headline":"Envío gratis desde 50","body":"En todos los pedidos, todos los días.","cta":"Más información"}}}]'),
  (null, 'cart', '[{"id":"default","locales":{"en":{"headline":"Almost there","body":"Complete your order in two clicks.","cta":"Checkout"},"es":{"headline":"Casi listo","body":"Completa tu pedido en dos clics.","cta":"Pagar"}}}]'),
  ('welcome', 'home-hero', '[{"id":"a","locales":{"en":{"headline":"Welcome, {profile.firstName ?: ''friend''}!","body":"New here? Take 10% off your first order.","cta":"Start shopping","url":"/demo/#welcome"},"es":{"headline":"¡Hola, {profile.firstName ?: ''amigo''}!","body":"¿Eres nuevo? 10% de descuento en tu primer pedido.","cta":"Empezar","url":"/demo/#welcome"}}},{"id":"b","locales":{"en":{"headline":"Welcome, {profile.firstName ?: ''friend''}!","body":"Your first order ships free{#if profile.topCategory}, {profile.topCategory} included{/if}.","cta":"Shop now","url":"/demo/#welcome"},"es":{"headline":"¡Hola, {profile.firstName ?: ''amigo''}!","body":"Tu primer pedido con envío gratis.","cta":"Comprar","url":"/demo/#welcome"}}}]'),
  (null, 'in-app-card', '[{"id":"default","locales":{"en":{"headline":"Welcome back","body":"See what is new today.","cta":"Open"}}}]');
