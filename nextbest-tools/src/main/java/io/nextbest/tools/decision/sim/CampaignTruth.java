package io.nextbest.tools.decision.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The true effects of the campaigns over the population, for a rested customer (nothing sent in the
 * week before) on the preferred device: what the services should discover.
 */
public final class CampaignTruth {
  /**
   * One campaign's truth.
   *
   * @param campaign configured id
   * @param channel its channel
   * @param attributes category, discount and tags as sent to the decision API
   * @param meanLift mean increase of the daily purchase probability
   * @param positiveLiftShare share of customers whose lift is positive
   * @param meanValue mean expected incremental value of one send (the oracle's figure)
   * @param positiveValueShare share of customers for whom one send is worth more than none
   * @param unsubscribeProbability for a rested customer
   */
  public record Row(
      String campaign,
      String channel,
      String attributes,
      double meanLift,
      double positiveLiftShare,
      double meanValue,
      double positiveValueShare,
      double unsubscribeProbability) {}

  private CampaignTruth() {}

  public static List<Row> of(SimConfig config, List<Customer> customers, Instant start) {
    Market fresh = new Market(config, customers, new RandomStreams(config.seed()), start);
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < config.campaigns().size(); k++) {
      CampaignSpec spec = config.campaigns().get(k);
      double lift = 0;
      double value = 0;
      int liftPositive = 0;
      int valuePositive = 0;
      for (Customer c : customers) {
        Visit v =
            new Visit(
                c.index(),
                0,
                start.plusSeconds(c.preferredHour() * 3600L),
                c.device(),
                "category",
                List.of(),
                null,
                null);
        double l = fresh.lift(v, k);
        double ev = fresh.expectedValue(v, k);
        lift += l;
        value += ev;
        liftPositive += l > 0 ? 1 : 0;
        valuePositive += ev > 0 ? 1 : 0;
      }
      int n = Math.max(1, customers.size());
      rows.add(
          new Row(
              spec.id(),
              spec.channel(),
              attributes(spec),
              lift / n,
              (double) liftPositive / n,
              value / n,
              (double) valuePositive / n,
              TrueEffects.unsubscribeProbability(spec, 0)));
    }
    return rows;
  }

  static String attributes(CampaignSpec spec) {
    List<String> parts = new ArrayList<>();
    if (spec.category() != null) {
      parts.add("category " + spec.category());
    }
    if (spec.discountDepth() > 0) {
      parts.add(spec.discountDepth() + "% off");
    }
    if (spec.tags() != null && !spec.tags().isEmpty()) {
      parts.add("tags " + String.join(",", spec.tags()));
    }
    return String.join("; ", parts);
  }

  /** The rows as a Markdown table. */
  public static String markdown(List<Row> rows, int effectDays) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "True effects of one send to a rested customer (lift: daily purchase probability,"
                + " %d days)%n%n",
            effectDays));
    b.append(
        "| campaign | channel | attributes | mean lift | lift > 0 | mean value of a send"
            + " | worth sending | unsubscribe |\n");
    b.append("|---|---|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %+.4f | %.0f%% | %+.2f | %.0f%% | %.1f%% |%n",
              r.campaign(),
              r.channel(),
              r.attributes(),
              r.meanLift(),
              100 * r.positiveLiftShare(),
              r.meanValue(),
              100 * r.positiveValueShare(),
              100 * r.unsubscribeProbability()));
    }
    return b.toString();
  }
}
