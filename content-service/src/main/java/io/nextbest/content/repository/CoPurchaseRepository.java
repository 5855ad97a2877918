package io.nextbest.content.repository;

import io.nextbest.common.privacy.ErasedCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Purchases as recommendations read them: orders per item ({@code item_stats}), orders per pair of
 * items bought together ({@code item_pairs}) and each customer's items ({@code customer_items}).
 */
@ApplicationScoped
public class CoPurchaseRepository {
  /**
   * An item.
   *
   * @param item its id
   * @param name its name, or null
   * @param orders orders that contained it
   */
  public record Item(String item, String name, long orders) {}

  /**
   * A neighbour of the {@code n}-th item asked about.
   *
   * @param n the item's position in the request, from 1
   * @param neighbour the item bought with it
   * @param orders orders that contained both
   */
  public record Neighbour(int n, String neighbour, long orders) {}

  /**
   * Orders of a pair of items, one direction.
   *
   * @param a the item
   * @param b the item bought with it
   * @param orders orders that contained both
   */
  public record PairOrders(String a, String b, long orders) {}

  /**
   * An item a customer bought.
   *
   * @param customerId the customer
   * @param item the item
   * @param boughtAt when
   */
  public record CustomerItem(String customerId, String item, Instant boughtAt) {}

  /**
   * Adds a chunk's pairs. A pair new to an item already holding {@code keptPerItem} pairs is stored
   * only if it would rank among them (orders, then the other item's id), against the item's weakest
   * kept pair before the chunk: one that would be pruned at once is never written. This keeps
   * exactly the pairs an insert followed by pruning would, at a fraction of the writes. Answers the
   * items that got a new pair: only those can be over their bound.
   */
  private static final String COUNT_PAIRS =
      "with u as (select * from unnest($1::text[], $2::text[], $3::bigint[]) as u(a, b, n)),"
          + " weakest as (select t.a, k.orders, k.b from (select distinct a from u) t"
          + " cross join lateral (select orders, b from item_pairs where a = t.a"
          + " order by orders desc, b offset $4 - 1 limit 1) k),"
          + " counted as (insert into item_pairs (a, b, orders) select u.a, u.b, u.n from u"
          + " left join weakest w on w.a = u.a"
          + " where w.a is null or u.n > w.orders or (u.n = w.orders and u.b < w.b)"
          + " or exists (select 1 from item_pairs e where e.a = u.a and e.b = u.b)"
          + " order by u.a, u.b"
          + " on conflict (a, b) do update set orders = item_pairs.orders + excluded.orders"
          // an inserted row has no xmax, an updated one this transaction's
          + " returning a, xmax = 0 as added)"
          + " select distinct a from counted where added order by a";

  private final Pool pool;

  public CoPurchaseRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code reads} in one read-only transaction on one snapshot (repeatable read), so its
   * queries agree with each other.
   */
  public <T> Uni<T> inSnapshot(Function<SqlConnection, Uni<T>> reads) {
    return pool.withTransaction(
        c ->
            c.query("set transaction isolation level repeatable read, read only")
                .execute()
                // many cheap index walks: compiling the plan would cost more than it saves
                .chain(() -> c.query("set local jit = off").execute())
                .chain(() -> reads.apply(c)));
  }

  /** A page of the items by orders, most first (ties by id). */
  public Uni<List<Item>> popular(SqlConnection c, long limit, long offset) {
    return c.preparedQuery(
            "select item, name, orders from item_stats order by orders desc, item"
                + " limit $1 offset $2")
        .execute(Tuple.of(limit, offset))
        .map(
            rows -> {
              List<Item> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(new Item(r.getString("item"), r.getString("name"), r.getLong("orders")));
              }
              return out;
            });
  }

  /**
   * Up to {@code limit} strongest neighbours of each of {@code items} among the items that rank at
   * or before ({@code lastOrders}, {@code lastItem}) by orders, by item then strength.
   */
  public Uni<List<Neighbour>> strongestNeighbours(
      SqlConnection c, List<String> items, long lastOrders, String lastItem, long limit) {
    return c.preparedQuery(
            "select t.n, x.b, x.orders from unnest($1::text[]) with ordinality as t(item, n)"
                + " cross join lateral (select p.b, p.orders from item_pairs p where p.a = t.item"
                // a lookup per pair walked, in the index's order, until the limit: a join here
                // would be planned as a hash of the whole item_stats per item
                + " and (select s.orders > $2 or (s.orders = $2 and s.item <= $3)"
                + " from item_stats s where s.item = p.b)"
                + " order by p.orders desc, p.b limit $4) x order by t.n, x.orders desc, x.b")
        .execute(Tuple.of(items.toArray(String[]::new), lastOrders, lastItem, limit))
        .map(
            rows -> {
              List<Neighbour> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new Neighbour(
                        r.getLong("n").intValue(), r.getString("b"), r.getLong("orders")));
              }
              return out;
            });
  }

  /** The customer's latest {@code limit} items, newest first. */
  public Uni<List<String>> latestItems(String customerId, int limit) {
    return pool.preparedQuery(
            "select item from customer_items where customer_id = $1 order by bought_at desc limit "
                + limit)
        .execute(Tuple.of(customerId))
        .map(
            rows -> {
              List<String> items = new ArrayList<>();
              rows.forEach(r -> items.add(r.getString("item")));
              return items;
            });
  }

  /**
   * Adds each item's orders, in the caller's transaction; a null name keeps the item's stored one.
   */
  public Uni<Void> addItemOrders(SqlConnection c, List<Item> items) {
    String[] ids = new String[items.size()];
    String[] names = new String[items.size()];
    Long[] orders = new Long[items.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = items.get(i).item();
      names[i] = items.get(i).name();
      orders[i] = items.get(i).orders();
    }
    return c.preparedQuery(
            "insert into item_stats (item, name, orders) select * from unnest($1::text[],"
                + " $2::text[], $3::bigint[]) on conflict (item) do update set orders ="
                + " item_stats.orders + excluded.orders,"
                + " name = coalesce(excluded.name, item_stats.name)")
        .execute(Tuple.of(ids, names, orders))
        .replaceWithVoid();
  }

  /**
   * Adds the pairs' orders in the caller's transaction, skipping a new pair that would not rank
   * among its item's {@code keptPerItem} strongest. Answers the items that got a new pair, sorted.
   */
  public Uni<List<String>> addPairOrders(
      SqlConnection c, List<PairOrders> pairs, long keptPerItem) {
    String[] as = new String[pairs.size()];
    String[] bs = new String[pairs.size()];
    Long[] orders = new Long[pairs.size()];
    for (int i = 0; i < as.length; i++) {
      as[i] = pairs.get(i).a();
      bs[i] = pairs.get(i).b();
      orders[i] = pairs.get(i).orders();
    }
    return c.preparedQuery(COUNT_PAIRS)
        .execute(Tuple.of(as, bs, orders, keptPerItem))
        .map(
            added -> {
              List<String> grown = new ArrayList<>();
              added.forEach(r -> grown.add(r.getString("a")));
              return grown;
            });
  }

  /**
   * Deletes the pairs of {@code items} beyond each one's strongest {@code keptPerItem} (ties by the
   * other item's id), in the caller's transaction. Only those rows are locked, and one another
   * transaction holds is skipped rather than waited for: pruning never waits, so it cannot deadlock
   * with the counts of another replica; a skipped row leaves its item a pair over the bound until
   * the item's next new pair.
   */
  public Uni<Void> prunePairs(SqlConnection c, List<String> items, long keptPerItem) {
    return c.preparedQuery(
            "delete from item_pairs p using (select v.a, v.b from item_pairs v where (v.a, v.b) in"
                + " (select x.a, x.b from unnest($1::text[]) as t(item) cross join lateral"
                + " (select a, b from item_pairs where a = t.item order by orders desc, b"
                + " offset $2) x) for update skip locked) d where p.a = d.a and p.b = d.b")
        .execute(Tuple.of(items.toArray(String[]::new), keptPerItem))
        .replaceWithVoid();
  }

  /**
   * Records the items the customers bought, keeping each item's latest purchase time, in the
   * caller's transaction; a purchase dated within the hold of its customer's erase is not stored.
   */
  public Uni<Void> addCustomerItems(SqlConnection c, List<CustomerItem> bought) {
    List<Tuple> rows = new ArrayList<>(bought.size());
    for (CustomerItem b : bought) {
      rows.add(Tuple.of(b.customerId(), b.item(), b.boughtAt().atOffset(ZoneOffset.UTC)));
    }
    return c.preparedQuery(
            "insert into customer_items (customer_id, item, bought_at)"
                + " select $1::text, $2::text, $3::timestamptz"
                + " where "
                + ErasedCustomers.notErasedAt("$1::text", "$3::timestamptz")
                + " on conflict (customer_id, item) do update set bought_at ="
                + " greatest(customer_items.bought_at, excluded.bought_at)")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /** Deletes the customer's purchase history, in the caller's transaction. */
  public Uni<Void> deleteCustomerItems(SqlConnection c, String customerId) {
    return c.preparedQuery("delete from customer_items where customer_id = $1")
        .execute(Tuple.of(customerId))
        .replaceWithVoid();
  }
}
