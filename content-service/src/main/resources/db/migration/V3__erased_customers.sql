-- Customers erased recently, by the SHA-256 of their id (never the id itself): impressions and
-- purchases of theirs still in flight when the erase arrived are not stored again afterwards.
create table erased_customers (
  id_hash   text        primary key,
  erased_at timestamptz not null
);
