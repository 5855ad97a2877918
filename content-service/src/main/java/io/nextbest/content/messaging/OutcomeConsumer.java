package io.nextbest.content.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.content.repository.ImpressionRepository;
import io.nextbest.content.repository.ImpressionRepository.ShownVariant;
import io.nextbest.content.repository.VariantDailyRepository;
import io.nextbest.content.repository.VariantDailyRepository.VariantDay;
import io.nextbest.content.repository.VariantStatsRepository;
import io.nextbest.content.repository.VariantStatsRepository.VariantStats;
import io.nextbest.events.Outcome;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Variant statistics from the outcomes topic: an impression content-service logged records which
 * variant a decision showed; the first click and the first conversion of that decision count for
 * the variant, in its totals and on the day of the impression (the allocation over time). Replays
 * change nothing: impressions are keyed by decision id and each flag is set once, in the same
 * transaction as the counters. An outcome that cannot be read goes to {@code
 * nextbest.outcomes.v1.dlq}.
 */
@ApplicationScoped
public class OutcomeConsumer {
  private final Pool pool;
  private final JsonCodec json;
  private final RecordBatches batches;
  private final ImpressionRepository impressions;
  private final VariantStatsRepository variantStats;
  private final VariantDailyRepository variantDaily;

  public OutcomeConsumer(
      Pool pool,
      JsonCodec json,
      RecordBatches batches,
      ImpressionRepository impressions,
      VariantStatsRepository variantStats,
      VariantDailyRepository variantDaily) {
    this.pool = pool;
    this.json = json;
    this.batches = batches;
    this.impressions = impressions;
    this.variantStats = variantStats;
    this.variantDaily = variantDaily;
  }

  @Incoming("outcomes")
  public Uni<Void> onOutcomes(List<String> payloads) {
    return batches
        .readAll(Topics.OUTCOMES, payloads, p -> json.read(p, Outcome.class))
        .chain(this::count);
  }

  private Uni<Void> count(List<Outcome> outcomes) {
    List<Outcome> shown = new ArrayList<>();
    List<Outcome> clicks = new ArrayList<>();
    List<Outcome> conversions = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.decisionId() == null || o.type() == null) {
        continue;
      }
      switch (o.type()) {
        case "impression" -> {
          if (o.content() != null && o.customerId() != null && o.occurredAt() != null) {
            shown.add(o);
          }
        }
        case "click" -> clicks.add(o);
        case "conversion" -> conversions.add(o);
        default -> {}
      }
    }
    if (shown.isEmpty() && clicks.isEmpty() && conversions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(pool.withTransaction(c -> apply(c, shown, clicks, conversions)))
        .replaceWithVoid();
  }

  private Uni<Void> apply(
      SqlConnection c, List<Outcome> shown, List<Outcome> clicks, List<Outcome> conversions) {
    Map<ShownVariant, long[]> deltas = new LinkedHashMap<>();
    return shown(c, shown, deltas)
        .chain(() -> clicked(c, clicks, deltas))
        .chain(() -> converted(c, conversions, deltas))
        .chain(() -> addToStats(c, deltas));
  }

  /** Stores the impressions and counts the new ones per variant. */
  private Uni<Void> shown(SqlConnection c, List<Outcome> shown, Map<ShownVariant, long[]> deltas) {
    if (shown.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return count(impressions.recordShown(c, shown), deltas, 0);
  }

  /** Flags the decisions' impressions clicked once, counting each first time per variant. */
  private Uni<Void> clicked(
      SqlConnection c, List<Outcome> clicks, Map<ShownVariant, long[]> deltas) {
    if (clicks.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return count(impressions.markClicked(c, decisions(clicks)), deltas, 1);
  }

  /** Flags the decisions' impressions converted once, counting each first time per variant. */
  private Uni<Void> converted(
      SqlConnection c, List<Outcome> conversions, Map<ShownVariant, long[]> deltas) {
    if (conversions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return count(impressions.markConverted(c, decisions(conversions)), deltas, 2);
  }

  private static String[] decisions(List<Outcome> outcomes) {
    return outcomes.stream().map(Outcome::decisionId).distinct().toArray(String[]::new);
  }

  /**
   * Adds the counted impressions, clicks and conversions to each variant's totals and to its
   * impressions' days.
   */
  private Uni<Void> addToStats(SqlConnection c, Map<ShownVariant, long[]> deltas) {
    if (deltas.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<String, VariantStats> totals = new LinkedHashMap<>();
    List<VariantDay> days = new ArrayList<>(deltas.size());
    deltas.forEach(
        (v, n) -> {
          days.add(new VariantDay(v.templateId(), v.day(), v.variantId(), n[0], n[1], n[2]));
          totals.merge(
              v.templateId() + "/" + v.variantId(),
              new VariantStats(v.templateId(), v.variantId(), n[0], n[1], n[2]),
              (a, b) ->
                  new VariantStats(
                      a.templateId(),
                      a.variantId(),
                      a.impressions() + b.impressions(),
                      a.clicks() + b.clicks(),
                      a.conversions() + b.conversions()));
        });
    // rows in key order, so two consumers adding to the same days cannot deadlock each other
    days.sort(
        java.util.Comparator.comparingLong(VariantDay::templateId)
            .thenComparing(VariantDay::day)
            .thenComparing(VariantDay::variantId));
    return variantStats
        .add(c, new ArrayList<>(totals.values()))
        .chain(() -> variantDaily.add(c, days));
  }

  /** Counts each returned variant in {@code slot}. */
  private static Uni<Void> count(
      Uni<List<ShownVariant>> result, Map<ShownVariant, long[]> deltas, int slot) {
    return result
        .invoke(
            variants -> {
              for (ShownVariant v : variants) {
                deltas.computeIfAbsent(v, k -> new long[3])[slot]++;
              }
            })
        .replaceWithVoid();
  }
}
