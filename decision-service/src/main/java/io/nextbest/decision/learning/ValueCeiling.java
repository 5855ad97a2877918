package io.nextbest.decision.learning;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.repository.OutcomeRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The highest value one conversion may carry: configured ({@code reward.max-value}), or twenty
 * times the 99th percentile of the latest 10,000 conversion values and never below {@code
 * reward.min-value-ceiling}. A posted conversion above it is refused; a purchase above it is
 * learned at the ceiling, so one absurd order cannot swamp a model.
 */
@ApplicationScoped
public class ValueCeiling {
  static final double PERCENTILE_FACTOR = 20;

  private final OutcomeRepository outcomes;
  private final DecisionConfig config;
  private volatile double observed = Double.NaN;

  public ValueCeiling(OutcomeRepository outcomes, DecisionConfig config) {
    this.outcomes = outcomes;
    this.config = config;
  }

  /** The ceiling in force. */
  public double current() {
    var r = config.reward();
    if (r.maxValue().isPresent()) {
      return r.maxValue().get();
    }
    double o = observed;
    return Double.isNaN(o) ? r.minValueCeiling() : Math.max(r.minValueCeiling(), o);
  }

  @Scheduled(
      every = "${nextbest.decision.value-ceiling-refresh}",
      delay = 5,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return outcomes
        .latestConversionValueP99()
        .invoke(
            p99 -> {
              if (p99 != null && Double.isFinite(p99)) {
                observed = PERCENTILE_FACTOR * p99;
              }
            })
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
