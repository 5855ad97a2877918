package io.nextbest.decision.report;

import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.decision.ReportsConfig;
import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.decision.learning.Replay;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.PolicyModel;
import io.nextbest.models.policy.ThompsonPolicy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Off-policy evaluation over the decision log: what a candidate policy would have earned on the
 * decisions actually logged, re-weighted by the logged propensities. Control-group decisions are
 * left out (their action was the holdout's, not a policy's).
 */
@ApplicationScoped
public class Evaluations {

  /**
   * A candidate policy.
   *
   * @param policy model (the bandit with exploration {@code epsilon}), greedy (the model without
   *     exploration), manual (manual priority with exploration {@code epsilon}), random
   * @param epsilon exploration rate of the candidate
   * @param capMax with {@code capDays}: the candidate sends at most this many campaigns per
   *     customer in that many days (counted on the logged sends), null for no cap
   * @param capDays the cap's window
   */
  public record Candidate(String policy, double epsilon, Integer capMax, Integer capDays) {}

  /** A logged decision with what evaluation needs. */
  record Logged(
      String customerId, double propensity, double reward, Replay replay, Instant decidedAt) {
    String action() {
      return replay.action();
    }
  }

  private final DecisionLogRepository decisionLog;
  private final ModelStore models;
  private final DecisionPolicy policy;
  private final CampaignInfo campaigns;
  private final Semaphore running;
  private final int maxRunning;
  private final int page;

  public Evaluations(
      DecisionLogRepository decisionLog,
      ModelStore models,
      DecisionPolicy policy,
      CampaignInfo campaigns,
      ReportsConfig config) {
    int maxRunning = config.maxConcurrentEvaluations();
    this.page = config.evaluationPageSize();
    this.decisionLog = decisionLog;
    this.models = models;
    this.policy = policy;
    this.campaigns = campaigns;
    this.maxRunning = maxRunning;
    this.running = new Semaphore(maxRunning);
  }

  /**
   * Evaluates a candidate policy over the latest {@code limit} learned, non-control decisions since
   * {@code since}, oldest first, a page ({@code nextbest.reports.evaluation-page-size}) at a time
   * on a worker thread (evaluation is CPU work): the estimators keep running sums, so memory holds
   * one page whatever the limit. At most {@code nextbest.reports.max-concurrent-evaluations} run at
   * once; another gets a 503 to retry.
   */
  public Uni<OffPolicy.Estimates> evaluate(Candidate candidate, Instant since, int limit) {
    if (!running.tryAcquire()) {
      return Uni.createFrom()
          .failure(
              new BackingServiceUnavailableException(
                  "the off-policy evaluator (" + maxRunning + " evaluations running)", null));
    }
    // the slot is held exactly as long as the work runs, even if the caller goes away meanwhile
    return Uni.createFrom()
        .item(
            () -> {
              try {
                return evaluatePages(candidate, since, limit);
              } finally {
                running.release();
              }
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private OffPolicy.Estimates evaluatePages(Candidate candidate, Instant since, int limit) {
    PolicyModel model = models.state().model();
    Map<String, ArrayDeque<Instant>> sends = new HashMap<>();
    OffPolicy.Accumulator estimates = new OffPolicy.Accumulator();
    // the oldest of the latest `limit` decisions, then forward from it
    RowSet<Row> first = await(decisionLog.oldestOfLatestLearned(since, limit));
    OffsetDateTime fromAt = since.atOffset(ZoneOffset.UTC);
    String fromId = "";
    if (first.size() == 1) {
      fromAt = first.iterator().next().getOffsetDateTime(0);
      fromId = first.iterator().next().getString(1);
    }
    boolean inclusive = true;
    int seen = 0;
    while (seen < limit) {
      RowSet<Row> rows = await(decisionLog.learnedPage(fromAt, fromId, inclusive, page));
      Row last = null;
      for (Row r : rows) {
        last = r;
        if (seen++ >= limit) {
          break;
        }
        Logged l = logged(r);
        if (l != null) {
          estimates.add(sample(l, candidate, policy, model, sends));
        }
      }
      if (last == null || rows.size() < page) {
        break;
      }
      fromAt = last.getOffsetDateTime(9);
      fromId = last.getString(10);
      inclusive = false;
      if (candidate.capMax() != null) {
        // customers whose sends all fell out of the cap's window need no entry any more
        Instant window =
            last.getOffsetDateTime(9).toInstant().minusSeconds(86_400L * candidate.capDays());
        sends.values().removeIf(d -> d.isEmpty() || d.peekLast().isBefore(window));
      }
    }
    return estimates.estimates();
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(java.time.Duration.ofMinutes(1));
  }

  private Logged logged(Row r) {
    Replay replay =
        Replay.of(
            models.encoder(),
            r.getString(4),
            r.getValue(5),
            r.getValue(6),
            r.getValue(7),
            r.getString(8),
            r.getString(1),
            false);
    if (replay == null) {
      return null;
    }
    OffsetDateTime at = r.getOffsetDateTime(9);
    return new Logged(r.getString(0), r.getDouble(2), r.getDouble(3), replay, at.toInstant());
  }

  /** What the candidate would have done on one logged decision, given its sends so far. */
  private OffPolicy.Sample sample(
      Logged l,
      Candidate candidate,
      DecisionPolicy policy,
      PolicyModel model,
      Map<String, ArrayDeque<Instant>> sends) {
    Map<String, Double> target;
    ArrayDeque<Instant> recent = null;
    if (candidate.capMax() != null) {
      recent = sends.computeIfAbsent(l.customerId(), k -> new ArrayDeque<>());
      Instant from = l.decidedAt().minusSeconds(86_400L * candidate.capDays());
      while (!recent.isEmpty() && recent.peekFirst().isBefore(from)) {
        recent.pollFirst();
      }
    }
    Replay r = l.replay();
    if (recent != null && recent.size() >= candidate.capMax()) {
      target = Map.of(ThompsonPolicy.NONE, 1.0);
    } else {
      target =
          policy.probabilities(
              candidate.policy(), candidate.epsilon(), r.none(), r.arms(), model, campaigns);
    }
    if (recent != null && !ThompsonPolicy.NONE.equals(l.action())) {
      recent.addLast(l.decidedAt());
    }
    return new OffPolicy.Sample(
        l.action(),
        l.propensity(),
        l.reward(),
        target,
        DecisionPolicy.expectedValues(r.none(), r.arms(), model));
  }
}
