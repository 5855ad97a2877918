-- The co-purchase graph is bounded: each item keeps only its strongest pairs, pruned as purchases
-- touch it, and replicas load the most popular items with their strongest neighbours. Both walk
-- these indexes instead of sorting: an item's pairs strongest first, the items most popular first.
create index item_pairs_strongest on item_pairs (a, orders desc, b);
create index item_stats_popular on item_stats (orders desc, item);
-- Pairs counted before the bound: each item keeps its 200 strongest (nextbest.recs.pairs-kept-per-item)
delete from item_pairs p
using (
  select a, b from (
    select a, b, row_number() over (partition by a order by orders desc, b) as rank from item_pairs
  ) ranked
  where rank > 200
) weak
where p.a = weak.a and p.b = weak.b;
