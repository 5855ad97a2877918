package io.nextbest.decision.cli.sim;

import java.time.Instant;
import java.util.List;

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
}
