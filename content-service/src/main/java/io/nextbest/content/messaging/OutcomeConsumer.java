package io.nextbest.content.messaging;

import static io.nextbest.common.sql.Columns.longs;
import static io.nextbest.common.sql.Columns.texts;
import static io.nextbest.common.sql.Columns.times;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.events.Outcome;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Variant statistics from the outcomes topic: an impression content-service logged records which
 * variant a decision showed; the first click and the first conversion of that decision count for
 * the variant. Replays change nothing: impressions are keyed by decision id and each flag is set
 * once, in the same transaction as the counters. An outcome that cannot be read goes to {@code
 * nextbest.outcomes.v1.dlq}.
 */
@ApplicationScoped
public class OutcomeConsumer {

  private static final String INSERT_IMPRESSIONS =
      "insert into impressions (decision_id, customer_id, template_id, variant_id, locale,"
          + " shown_at) select u.decision, u.customer, u.template, u.variant, u.locale, u.at"
          + " from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],"
          + " $6::timestamptz[]) as u(decision, customer, template, variant, locale, at) where "
          + ErasedCustomers.notErasedAt("u.customer", "u.at")
          + " on conflict (decision_id) do nothing returning template_id, variant_id";

  private final Pool pool;
  private final JsonCodec json;
  private final RecordBatches batches;

  public OutcomeConsumer(Pool pool, JsonCodec json, RecordBatches batches) {
    this.pool = pool;
    this.json = json;
    this.batches = batches;
  }

  @Incoming("outcomes")
  public Uni<Void> onOutcomes(List<String> payloads) {
    return batches
        .readAll(Topics.OUTCOMES, payloads, p -> json.read(p, Outcome.class))
        .chain(this::count);
  }

  private Uni<Void> count(List<Outcome> outcomes) {
    List<Outcome> impressions = new ArrayList<>();
    List<Outcome> clicks = new ArrayList<>();
    List<Outcome> conversions = new ArrayList<>();
    for (Outcome o : outcomes) {
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
    return shown(c, impressions, deltas)
        .chain(() -> flag(c, "clicked", clicks, deltas, 1))
        .chain(() -> flag(c, "converted", conversions, deltas, 2))
        .chain(() -> addToStats(c, deltas));
  }

  /** Stores the impressions, the batch in one statement, and counts the new ones per variant. */
  private static Uni<Void> shown(SqlConnection c, List<Outcome> shown, Map<String, long[]> deltas) {
    if (shown.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return count(
        c.preparedQuery(INSERT_IMPRESSIONS)
            .execute(
                Tuple.tuple(
                    List.of(
                        texts(shown, Outcome::decisionId),
                        texts(shown, Outcome::customerId),
                        longs(shown, o -> o.content().templateId()),
                        texts(shown, o -> o.content().variantId()),
                        texts(shown, o -> o.content().locale() == null ? "" : o.content().locale()),
                        times(shown, Outcome::occurredAt)))),
        deltas,
        0);
  }

  /** Sets the flag on the decisions' impressions once, counting each first time per variant. */
  private static Uni<Void> flag(
      SqlConnection c,
      String column,
      List<Outcome> outcomes,
      Map<String, long[]> deltas,
      int slot) {
    if (outcomes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String[] decisions =
        outcomes.stream().map(Outcome::decisionId).distinct().toArray(String[]::new);
    return count(
        c.preparedQuery(
                "update impressions i set "
                    + column
                    + " = true from unnest($1::text[]) as u(id) where i.decision_id = u.id and not i."
                    + column
                    + " returning i.template_id, i.variant_id")
            .execute(Tuple.of((Object) decisions)),
        deltas,
        slot);
  }

  /** Adds the counted impressions, clicks and conversions to each variant's totals. */
  private static Uni<Void> addToStats(SqlConnection c, Map<String, long[]> deltas) {
    if (deltas.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = deltas.size();
    Long[] templates = new Long[n];
    String[] variants = new String[n];
    Long[] impressions = new Long[n];
    Long[] clicks = new Long[n];
    Long[] conversions = new Long[n];
    int i = 0;
    for (var e : deltas.entrySet()) {
      String k = e.getKey();
      int slash = k.indexOf('/');
      templates[i] = Long.parseLong(k.substring(0, slash));
      variants[i] = k.substring(slash + 1);
      impressions[i] = e.getValue()[0];
      clicks[i] = e.getValue()[1];
      conversions[i] = e.getValue()[2];
      i++;
    }
    return c.preparedQuery(
            "insert into variant_stats (template_id, variant_id, impressions, clicks, conversions)"
                + " select * from unnest($1::bigint[], $2::text[], $3::int8[], $4::int8[],"
                + " $5::int8[]) on conflict (template_id, variant_id) do update set impressions ="
                + " variant_stats.impressions + excluded.impressions, clicks = variant_stats.clicks"
                + " + excluded.clicks, conversions = variant_stats.conversions +"
                + " excluded.conversions")
        .execute(Tuple.of(templates, variants, impressions, clicks, conversions))
        .replaceWithVoid();
  }

  /** Counts each returned (template, variant) in {@code slot}. */
  private static Uni<Void> count(Uni<RowSet<Row>> result, Map<String, long[]> deltas, int slot) {
    return result
        .invoke(
            rows -> {
              for (Row r : rows) {
                String key = r.getLong("template_id") + "/" + r.getString("variant_id");
                deltas.computeIfAbsent(key, k -> new long[3])[slot]++;
              }
            })
        .replaceWithVoid();
  }
}
