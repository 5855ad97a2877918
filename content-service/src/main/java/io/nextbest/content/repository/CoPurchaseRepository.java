package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
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
}
