package io.nextbest.tools.decision.sim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a {@link LocalPolicy} over the whole simulated period, with no service involved. */
public final class LocalRun {
  private LocalRun() {}

  /** The ledger of {@code policy} on a fresh world of {@code customers}. */
  public static DailyLedger run(
      SimConfig config,
      List<Customer> customers,
      RandomStreams streams,
      Instant start,
      LocalPolicy policy) {
    Market market = new Market(config, customers, streams, start);
    for (int day = 0; day < config.days(); day++) {
      for (Visit v : market.visits(day)) {
        List<Integer> candidates = market.candidates(v.customer());
        if (candidates.isEmpty()) {
          continue;
        }
        market.moment(v);
        int choice = policy.choose(v, candidates, market);
        if (choice != LocalPolicy.NONE) {
          market.send(v, choice, "local:" + v.customer() + ":" + day);
        }
      }
      market.closeDay(day);
    }
    return market.ledger();
  }

  /**
   * The ledgers of the baselines every run is compared with — none, manual priority, random and the
   * oracle — in the report's order, each on a fresh world.
   */
  public static Map<String, DailyLedger> baselines(
      SimConfig config, List<Customer> customers, RandomStreams streams, Instant start) {
    Map<String, DailyLedger> ledgers = new LinkedHashMap<>();
    ledgers.put(Report.NONE, run(config, customers, streams, start, Baselines.none()));
    ledgers.put(
        Report.MANUAL,
        run(config, customers, streams, start, Baselines.manual(config.manualIndexes())));
    ledgers.put(Report.RANDOM, run(config, customers, streams, start, Baselines.random(streams)));
    ledgers.put(Report.ORACLE, run(config, customers, streams, start, Baselines.oracle()));
    return ledgers;
  }
}
