-- The co-purchase graph is bounded: each item keeps only its strongest pairs, pruned as purchases
-- touch it, and replicas load the most popular items with their strongest neighbours. Both walk
-- these indexes instead of sorting: an item's pairs strongest first, the items most popular first.
create index item_pairs_strongest on item_pairs (a, orders desc, b);
create index item_stats_popular on item_stats (orders desc, item);
