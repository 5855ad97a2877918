package io.nextbest.content.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Variant statistics from the outcomes topic: an impression content-service logged records which
 * variant a decision showed; the first click and the first conversion of that decision count for
 * the variant. Replays change nothing: impressions are keyed by decision id and each flag is set
 * once, in the same transaction as the counters.
 */
@ApplicationScoped
public class ContentOutcomes {
  private static final Logger LOG = Logger.getLogger(ContentOutcomes.class);

  private final Pool pool;
  private final JsonCodec json;

  public ContentOutcomes(Pool pool, JsonCodec json) {
    this.pool = pool;
    this.json = json;
  }

  @Incoming("outcomes")
  public Uni<Void> onOutcomes(List<String> payloads) {
    List<Outcome> impressions = new ArrayList<>();
    List<Outcome> clicks = new ArrayList<>();
    List<Outcome> conversions = new ArrayList<>();
    for (String p : payloads) {
      try {
        Outcome o = json.read(p, Outcome.class);
        if (o.decisionId() == null || o.type() == null) {
          continue;
        }
        switch (o.type()) {
          case "impression" -> {
            if (o.content() != null && o.customerId() != null && o.occurredAt() != null) {
              impressions.add(o);
            }
          }
          case "click" -> clicks.add(o);
          case "conversion" -> conversions.add(o);
          default -> {}
        }
      } catch (JsonCodec.PoisonMessageException e) {
        LOG.warnf("unreadable outcome skipped: %s", e.getMessage());
      }
    }
    if (impressions.isEmpty() && clicks.isEmpty() && conversions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(
            pool.withTransaction(c -> apply(c, impressions, clicks, conversions)))
        .replaceWithVoid();
  }

  private Uni<Void> apply(
      SqlConnection c, List<Outcome> impressions, List<Outcome> clicks, List<Outcome> conversions) {
    Map<String, long[]> deltas = new LinkedHashMap<>();
    Uni<Void> shown =
        batch(
            c,
            "insert into impressions (decision_id, customer_id, template_id, variant_id, locale,"
                + " shown_at) select $1::text, $2::text, $3::bigint, $4::text, $5::text, $6::timestamptz"
                + " where "
                + ErasedCustomers.notErasedAt("$2::text", "$6::timestamptz")
                + " on conflict (decision_id) do nothing returning template_id, variant_id",
            impressions.stream()
                .map(
                    o ->
                        Tuple.from(
                            List.of(
                                o.decisionId(),
                                o.customerId(),
                                o.content().templateId(),
                                o.content().variantId(),
                                o.content().locale() == null ? "" : o.content().locale(),
                                o.occurredAt().atOffset(ZoneOffset.UTC))))
                .toList(),
            deltas,
            0);
    return shown
        .chain(() -> flag(c, "clicked", clicks, deltas, 1))
        .chain(() -> flag(c, "converted", conversions, deltas, 2))
        .chain(
            () -> {
              List<Tuple> rows = new ArrayList<>();
              deltas.forEach(
                  (k, d) -> {
                    int slash = k.indexOf('/');
                    rows.add(
                        Tuple.of(
                            Long.parseLong(k.substring(0, slash)),
                            k.substring(slash + 1),
                            d[0],
                            d[1],
                            d[2]));
                  });
              if (rows.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return c.preparedQuery(
                      "insert into variant_stats (template_id, variant_id, impressions, clicks,"
                          + " conversions) values ($1, $2, $3, $4, $5) on conflict (template_id,"
                          + " variant_id) do update set impressions = variant_stats.impressions +"
                          + " excluded.impressions, clicks = variant_stats.clicks + excluded.clicks,"
                          + " conversions = variant_stats.conversions + excluded.conversions")
                  .executeBatch(rows)
                  .replaceWithVoid();
            });
  }

  private static Uni<Void> flag(
      SqlConnection c,
      String column,
      List<Outcome> outcomes,
      Map<String, long[]> deltas,
      int slot) {
    return batch(
        c,
        "update impressions set "
            + column
            + " = true where decision_id = $1 and not "
            + column
            + " returning template_id, variant_id",
        outcomes.stream().map(Outcome::decisionId).distinct().map(Tuple::of).toList(),
        deltas,
        slot);
  }

  /** Runs the statement per row and counts each returned (template, variant) in {@code slot}. */
  private static Uni<Void> batch(
      SqlConnection c, String sql, List<Tuple> rows, Map<String, long[]> deltas, int slot) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return c.preparedQuery(sql)
        .executeBatch(rows)
        .invoke(
            result -> {
              for (RowSet<Row> rs = result; rs != null; rs = rs.next()) {
                for (Row r : rs) {
                  String key = r.getLong("template_id") + "/" + r.getString("variant_id");
                  deltas.computeIfAbsent(key, k -> new long[3])[slot]++;
                }
              }
            })
        .replaceWithVoid();
  }
}
