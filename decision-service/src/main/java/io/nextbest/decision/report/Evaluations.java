package io.nextbest.decision.report;

import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.decision.learning.Replay;
import io.nextbest.decision.policy.DecisionPolicy;
import io.nextbest.decision.policy.PolicyModel;
import io.nextbest.decision.policy.ThompsonPolicy;
import io.nextbest.decision.service.DecisionMaker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  private final Pool pool;
  private final ModelStore models;
  private final DecisionMaker maker;
  private final CampaignInfo campaigns;

  public Evaluations(Pool pool, ModelStore models, DecisionMaker maker, CampaignInfo campaigns) {
    this.pool = pool;
    this.models = models;
    this.maker = maker;
    this.campaigns = campaigns;
  }

  /** Loads up to {@code limit} learned, non-control decisions since {@code since}. */
  Uni<List<Logged>> load(Instant since, int limit) {
    return pool.preparedQuery(
            "select customer_id, campaign_id, propensity, reward, features->>'encoder',"
                + " features->'x', features->'facts', features->'policy', candidates, decided_at"
                + " from decision_log where learned and not control and decided_at >= $1"
                + " order by decided_at desc limit $2")
        .execute(Tuple.of(since.atOffset(ZoneOffset.UTC), limit))
        .map(this::logged);
  }

  private List<Logged> logged(RowSet<Row> rows) {
    List<Logged> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
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
        continue;
      }
      OffsetDateTime at = r.getOffsetDateTime(9);
      out.add(new Logged(r.getString(0), r.getDouble(2), r.getDouble(3), replay, at.toInstant()));
    }
    out.sort(java.util.Comparator.comparing(Logged::decidedAt));
    return out;
  }

  /** Evaluates a candidate policy over loaded decisions. */
  public OffPolicy.Estimates evaluate(List<Logged> logged, Candidate candidate) {
    PolicyModel model = models.state().model();
    DecisionPolicy policy = maker.policy();
    Map<String, ArrayDeque<Instant>> sends = new HashMap<>();
    List<OffPolicy.Sample> samples = new ArrayList<>(logged.size());
    for (Logged l : logged) {
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
      samples.add(
          new OffPolicy.Sample(
              l.action(),
              l.propensity(),
              l.reward(),
              target,
              DecisionPolicy.expectedValues(r.none(), r.arms(), model)));
    }
    return OffPolicy.estimate(samples);
  }

  /** Loads and evaluates on a worker thread (evaluation is CPU work). */
  public Uni<OffPolicy.Estimates> evaluate(Candidate candidate, Instant since, int limit) {
    return load(since, limit)
        .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
        .map(logged -> evaluate(logged, candidate));
  }
}
