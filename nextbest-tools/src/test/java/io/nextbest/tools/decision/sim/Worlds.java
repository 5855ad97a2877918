package io.nextbest.tools.decision.sim;

import java.time.Instant;
import java.util.List;

/** Small hand-made worlds for the simulator's tests. */
final class Worlds {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private Worlds() {}

  static SimConfig defaults(int customers, int days) {
    return SimConfig.defaults().with(customers, days, 42, null);
  }

  /** {@code base} with other campaigns (manual order: their order), visit probability, share. */
  static SimConfig with(
      SimConfig base, List<CampaignSpec> campaigns, double visitProbability, double maxDaily) {
    return new SimConfig(
        base.customers(),
        base.days(),
        base.seed(),
        base.measureFrom(),
        visitProbability,
        base.categories(),
        base.population(),
        campaigns,
        campaigns.stream().map(CampaignSpec::id).toList(),
        base.unsubscribeCost(),
        base.effectDays(),
        maxDaily,
        base.conversionOutcomeShare());
  }

  /** An effect of {@code base} lift for everyone, nothing else. */
  static CampaignSpec.Effect flat(double base, double unsubscribe) {
    return new CampaignSpec.Effect(base, 0, 0, 0, 0, 0, 0, List.of(), unsubscribe, 0);
  }

  static CampaignSpec campaign(String id, String channel, CampaignSpec.Effect effect) {
    return new CampaignSpec(id, channel, null, 0, List.of(), effect);
  }

  static Customer customer(int index, String favourite, double ps, double baseRate) {
    return new Customer(
        index,
        "t-c" + index,
        "mid",
        "north",
        false,
        favourite,
        ps,
        "mobile",
        baseRate,
        Math.log(50),
        0.5,
        12);
  }

  static Visit visit(int customer, int day, String device) {
    return new Visit(
        customer,
        day,
        START.plusSeconds(day * 86_400L + 12 * 3600),
        device,
        "category",
        List.of(),
        null,
        null);
  }
}
