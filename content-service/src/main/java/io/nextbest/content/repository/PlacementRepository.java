package io.nextbest.content.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The placements content renders into ({@code placements}). */
@ApplicationScoped
public class PlacementRepository {
  /**
   * A placement.
   *
   * @param name its name
   * @param channel its channel
   * @param fields the fields a template fills
   * @param budgetMs how long rendering may take
   */
  public record PlacementRow(String name, String channel, List<String> fields, int budgetMs) {}

  private final Pool pool;

  public PlacementRepository(Pool pool) {
    this.pool = pool;
  }

  /** Every placement. */
  public Uni<List<PlacementRow>> all() {
    return pool.query("select name, channel, fields, budget_ms from placements")
        .execute()
        .map(
            rows -> {
              List<PlacementRow> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new PlacementRow(
                        r.getString("name"),
                        r.getString("channel"),
                        Arrays.asList(r.getString("fields").split(",")),
                        r.getInteger("budget_ms")));
              }
              return out;
            });
  }
}
