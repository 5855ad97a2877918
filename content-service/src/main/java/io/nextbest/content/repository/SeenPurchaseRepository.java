package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The purchase events already counted into the co-purchase graph ({@code seen_purchases}), by event
 * id, so a replayed event counts once.
 */
@ApplicationScoped
public class SeenPurchaseRepository {

  /**
   * Claims the event ids in the caller's transaction; answers those not claimed before, which the
   * transaction counts.
   */
  public Uni<Set<String>> claim(SqlConnection c, List<String> eventIds) {
    List<Tuple> ids = eventIds.stream().map(id -> Tuple.of(id)).toList();
    return c.preparedQuery(
            "insert into seen_purchases (event_id) values ($1) on conflict do nothing"
                + " returning event_id")
        .executeBatch(ids)
        .map(
            result -> {
              Set<String> fresh = new HashSet<>();
              for (var rs = result; rs != null; rs = rs.next()) {
                for (Row r : rs) {
                  fresh.add(r.getString("event_id"));
                }
              }
              return fresh;
            });
  }
}
