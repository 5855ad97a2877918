-- Customers erased recently, by the SHA-256 of their id (never the id itself): sends of theirs
-- still in flight when the erase arrived are not recorded as contacts afterwards.
create table erased_customers (
  id_hash   text        primary key,
  erased_at timestamptz not null
);
