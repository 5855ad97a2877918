-- Customers erased recently, by the SHA-256 of their id (never the id itself): decisions and
-- outcomes of theirs still in flight when the erase arrived are not logged again afterwards.
create table erased_customers (
  id_hash   text        primary key,
  erased_at timestamptz not null
);
