package io.nextbest.decision.learning;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.policy.DecisionPolicy.Mode;
import io.nextbest.decision.report.Evaluations;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Apprentice mode's hand-over: the model goes live when, over the decisions logged in apprentice
 * mode, there are enough of them, it agrees with manual priority often enough, and the lower 95%
 * bound of its off-policy value reaches the configured share of manual priority's value.
 */
@ApplicationScoped
public class Promotion {
  private static final Logger LOG = Logger.getLogger(Promotion.class);

  /**
   * The verdict.
   *
   * @param scorecard the evidence
   * @param ready all thresholds pass
   * @param reason why (or why not)
   */
  public record Verdict(Evaluations.Scorecard scorecard, boolean ready, String reason) {}

  private final Evaluations evaluations;
  private final ModelStore models;
  private final DecisionConfig config;

  public Promotion(Evaluations evaluations, ModelStore models, DecisionConfig config) {
    this.evaluations = evaluations;
    this.models = models;
    this.config = config;
  }

  public Uni<Verdict> verdict() {
    var p = config.promotion();
    return evaluations
        .apprenticeScorecard(config.epsilon(), 200_000)
        .map(
            s -> {
              double modelLow = s.model().snips().low();
              double manual = s.manual().snips().value();
              if (s.decisions() < p.minDecisions()) {
                return new Verdict(
                    s, false, s.decisions() + " of " + p.minDecisions() + " decisions needed");
              }
              if (s.matchRate() < p.minMatchRate()) {
                return new Verdict(
                    s,
                    false,
                    String.format(
                        Locale.ROOT,
                        "match rate %.3f below %.3f",
                        s.matchRate(),
                        p.minMatchRate()));
              }
              if (modelLow < p.minValueRatio() * manual) {
                return new Verdict(
                    s,
                    false,
                    String.format(
                        Locale.ROOT,
                        "model's lower bound %.4f below %.2f × manual %.4f",
                        modelLow,
                        p.minValueRatio(),
                        manual));
              }
              return new Verdict(
                  s,
                  true,
                  String.format(
                      Locale.ROOT,
                      "promoted: %d decisions, match rate %.3f, model lower bound %.4f ≥ %.2f ×"
                          + " manual %.4f",
                      s.decisions(),
                      s.matchRate(),
                      modelLow,
                      p.minValueRatio(),
                      manual));
            });
  }

  @Scheduled(
      every = "${nextbest.decision.promotion.interval:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> check() {
    if (!config.promotion().automatic() || models.state().mode() != Mode.APPRENTICE) {
      return Uni.createFrom().voidItem();
    }
    return verdict()
        .chain(
            v -> {
              if (!v.ready()) {
                return Uni.createFrom().voidItem();
              }
              LOG.infof("model goes live: %s", v.reason());
              return models.setMode(Mode.LIVE, v.reason());
            })
        .onFailure()
        .invoke(f -> LOG.warnf("promotion check skipped: %s", f.toString()))
        .onFailure()
        .recoverWithNull();
  }
}
