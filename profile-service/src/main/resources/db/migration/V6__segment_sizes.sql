-- Membership over time: each segment's size per UTC day, as last recorded that day (every
-- nextbest.segment-history.every). Rows older than nextbest.segment-history.days are pruned, so the
-- table holds at most segments × days rows; a deleted segment's history goes with it.
create table segment_sizes (
  segment_id  text        not null references segments (id) on delete cascade,
  day         date        not null,
  members     bigint      not null,
  recorded_at timestamptz not null,
  primary key (segment_id, day)
);
