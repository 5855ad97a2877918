package io.nextbest.decision.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One prepared statement over a batch of rows; answers how many rows it changed in total. */
public final class BatchInsert {
  private BatchInsert() {}

  public static <T> Uni<Integer> run(Pool pool, String sql, List<T> items, Function<T, Tuple> row) {
    if (items.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    List<Tuple> rows = new ArrayList<>(items.size());
    for (T item : items) {
      rows.add(row.apply(item));
    }
    return pool.preparedQuery(sql)
        .executeBatch(rows)
        .map(
            r -> {
              int changed = 0;
              for (var rs = r; rs != null; rs = rs.next()) {
                changed += rs.rowCount();
              }
              return changed;
            });
  }
}
