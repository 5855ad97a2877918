-- Allocation over time: each variant's impressions per UTC day, with the clicks and conversions of
-- those impressions. The outcomes consumer adds to it in the transaction that stores or flags the
-- impressions, counting only rows it inserted or flagged for the first time, so a replay adds
-- nothing. Bounded by days × variants of live templates.
create table variant_daily (
  template_id bigint not null,
  day         date   not null,
  variant_id  text   not null,
  impressions bigint not null default 0,
  clicks      bigint not null default 0,
  conversions bigint not null default 0,
  primary key (template_id, day, variant_id)
);

-- The impressions stored before this table existed (those of erased customers are gone).
insert into variant_daily (template_id, day, variant_id, impressions, clicks, conversions)
select template_id, (shown_at at time zone 'UTC')::date, variant_id, count(*),
       count(*) filter (where clicked), count(*) filter (where converted)
from impressions
group by template_id, (shown_at at time zone 'UTC')::date, variant_id;
