-- Customers (and their merged aliases) erased, by the SHA-256 of their id (never the id itself):
-- events, profile writes and merges for such an id within the hold after the erase (events still
-- in flight, a stale client) are refused instead of starting the person's profile again.
create table erased_customers (
  id_hash   text        primary key,
  erased_at timestamptz not null
);
