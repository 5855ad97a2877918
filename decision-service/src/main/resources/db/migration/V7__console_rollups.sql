-- Rollups the console and the uplift report read instead of the decision log. Every writer of
-- decision_log or outcomes (and the erase) keeps them in step in its own transaction, under one
-- advisory lock (DecisionLogRepository.ROLLUP_LOCK), so a decision and a conversion written at the
-- same moment by two consumers still meet exactly once.

-- What each decision's own window holds so far (each order once) and how it was decided:
-- model (the live bandit's draw), exploration (its epsilon share, or apprentice mode off the
-- marketer's top rank), manual, control (a control group or the global control), none (nothing
-- eligible).
alter table decision_log
  add column rule             text             not null default 'model',
  add column conversions      integer          not null default 0,
  add column conversion_value double precision not null default 0;

update decision_log d set
  rule = case
    when d.control or d.policy_version = 'global-control' then 'control'
    when d.features -> 'policy' ->> 'rule' = 'manual' then 'manual'
    when d.features -> 'policy' ->> 'rule' = 'none' then 'none'
    when d.features -> 'policy' ->> 'rule' = 'apprentice' then
      case when coalesce(d.features -> 'policy' ->> 'explored', 'false') <> 'true'
            and (d.features -> 'policy' -> 'priorities' ->> coalesce(d.campaign_id, 'none'))::int
              = (select max(p.value::int) from jsonb_each_text(d.features -> 'policy' -> 'priorities') p)
           then 'manual' else 'exploration' end
    when d.features -> 'policy' ->> 'explored' = 'true' then 'exploration'
    else 'model' end,
  conversions = c.n,
  conversion_value = c.v
from decision_log l
left join lateral (
  select count(*) n, coalesce(sum(coalesce(o.value, 0)), 0) v from (
    select distinct on (coalesce(x.order_id, x.outcome_id)) x.value from outcomes x
    where x.customer_id = l.customer_id and x.type = 'conversion'
      and x.occurred_at >= l.decided_at
      and x.occurred_at < l.decided_at + make_interval(days => l.window_days)
    order by coalesce(x.order_id, x.outcome_id), x.occurred_at) o) c on true
where d.decision_id = l.decision_id;

-- Decisions per UTC day, campaign ('' for none), rule, control and global control, with what
-- their windows earned: decisions, decisions with a conversion, value and value squared.
create table decision_daily (
  day            date             not null,
  campaign_id    text             not null,
  rule           text             not null,
  control        boolean          not null,
  global_control boolean          not null,
  decisions      bigint           not null default 0,
  converted      bigint           not null default 0,
  value          double precision not null default 0,
  value_squares  double precision not null default 0,
  primary key (day, campaign_id, rule, control, global_control)
);
insert into decision_daily
select (decided_at at time zone 'UTC')::date, coalesce(campaign_id, ''), rule, control,
       policy_version = 'global-control', count(*), count(*) filter (where conversions > 0),
       sum(conversion_value), sum(conversion_value * conversion_value)
from decision_log group by 1, 2, 3, 4, 5;

-- Each customer's latest decision per comparison group, for the distinct customers of the
-- sample-ratio check: 'p' the programme, 'g' the global control, 't:<campaign>' and
-- 'c:<campaign>' a campaign's treated and control decisions.
create table decision_customers (
  grp         text        not null,
  customer_id text        not null,
  last_at     timestamptz not null,
  primary key (grp, customer_id)
);
create index decision_customers_customer_idx on decision_customers (customer_id);
create index decision_customers_last_idx on decision_customers (last_at);
insert into decision_customers
select g, customer_id, max(decided_at) from (
  select case when policy_version = 'global-control' then 'g' else 'p' end g, customer_id, decided_at
  from decision_log
  union all
  select case when control then 'c:' else 't:' end || campaign_id, customer_id, decided_at
  from decision_log where campaign_id is not null and policy_version <> 'global-control') x
group by 1, 2;

-- How many customers' latest decision of each group fell on each UTC day: distinct customers since
-- a day are the sum from that day on, without reading decision_customers.
create table decision_customer_days (
  grp       text   not null,
  day       date   not null,
  customers bigint not null default 0,
  primary key (grp, day)
);
insert into decision_customer_days
select grp, (last_at at time zone 'UTC')::date, count(*) from decision_customers group by 1, 2;

-- A customer's latest decisions, a page at a time.
create index decision_log_customer_recent_idx on decision_log (customer_id, decided_at desc, decision_id desc);
drop index decision_log_customer_idx;

-- Every change of the policy mode: who or what changed it and why (the guard's demotions too).
create table policy_mode_history (
  id         bigserial   primary key,
  mode       text        not null,
  previous   text,
  reason     text,
  changed_by text        not null, -- guard, promotion, operator, initial
  changed_at timestamptz not null default now()
);
insert into policy_mode_history (mode, previous, reason, changed_by, changed_at)
select mode, null, mode_reason, 'initial', changed_at from policy_state;
