package io.nextbest.decision.report;

import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.learning.Learner;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.decision.policy.DecisionPolicy;
import io.nextbest.decision.policy.PolicyModel;
import io.nextbest.decision.policy.ThompsonPolicy;
import io.nextbest.decision.service.DecisionMaker;
import io.nextbest.events.Moment.EligibleCampaign;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
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
      String decisionId,
      String customerId,
      String action,
      double propensity,
      double reward,
      double[] x,
      double pAlive,
      List<EligibleCampaign> candidates,
      Instant decidedAt,
      String shadow) {}

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
  Uni<List<Logged>> load(Instant since, int limit, String policyPrefix) {
    return pool.preparedQuery(
            "select decision_id, customer_id, campaign_id, propensity, reward, features->'x',"
                + " features->>'encoder', features->'policy', decided_at, candidates from"
                + " decision_log"
                + " where learned and not control and decided_at >= $1"
                + " and ($2::text is null or policy_version like $2 || '%')"
                + " order by decided_at desc limit $3")
        .execute(Tuple.of(since.atOffset(ZoneOffset.UTC), policyPrefix, limit))
        .map(Evaluations::logged);
  }

  private static List<Logged> logged(RowSet<Row> rows) {
    List<Logged> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      double[] x = Learner.context(r.getValue(5), r.getString(6));
      Object rawPolicy = r.getValue(7);
      if (x == null || !(rawPolicy instanceof JsonObject policy)) {
        continue;
      }
      JsonObject priorities = policy.getJsonObject("priorities", new JsonObject());
      List<String> controls = new ArrayList<>();
      policy
          .getJsonArray("controls", new io.vertx.core.json.JsonArray())
          .forEach(c -> controls.add(String.valueOf(c)));
      List<EligibleCampaign> candidates = new ArrayList<>();
      for (Object id : new io.vertx.core.json.JsonArray(r.getString(9))) {
        String campaign = String.valueOf(id);
        candidates.add(
            new EligibleCampaign(
                campaign,
                priorities.getInteger(campaign),
                null,
                null,
                controls.contains(campaign)));
      }
      candidates.sort(java.util.Comparator.comparing(EligibleCampaign::campaignId));
      String campaign = r.getString(2);
      OffsetDateTime at = r.getOffsetDateTime(8);
      out.add(
          new Logged(
              r.getString(0),
              r.getString(1),
              campaign == null ? ThompsonPolicy.NONE : campaign,
              r.getDouble(3),
              r.getDouble(4),
              x,
              policy.getDouble("pAlive", 1.0),
              candidates,
              at.toInstant(),
              policy.getString("shadow")));
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
      if (recent != null && recent.size() >= candidate.capMax()) {
        target = Map.of(ThompsonPolicy.NONE, 1.0);
      } else {
        target =
            policy.probabilities(
                candidate.policy(),
                candidate.epsilon(),
                l.x(),
                l.pAlive(),
                l.candidates(),
                model,
                campaigns);
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
              DecisionPolicy.expectedValues(l.x(), l.candidates(), model)));
    }
    return OffPolicy.estimate(samples);
  }

  /** Loads and evaluates on a worker thread (evaluation is CPU work). */
  public Uni<OffPolicy.Estimates> evaluate(Candidate candidate, Instant since, int limit) {
    return load(since, limit, null)
        .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
        .map(logged -> evaluate(logged, candidate));
  }

  /**
   * Apprentice mode's scorecard: over the decisions taken in apprentice mode, how often the model's
   * shadow choice agreed with manual priority, and the off-policy value of the model and of manual
   * priority.
   *
   * @param decisions apprentice decisions evaluated
   * @param matchRate share where the model's shadow choice equals manual priority's choice
   * @param model the model's off-policy value (self-normalized IPS)
   * @param manual manual priority's off-policy value
   */
  public record Scorecard(
      int decisions, double matchRate, OffPolicy.Estimates model, OffPolicy.Estimates manual) {}

  public Uni<Scorecard> apprenticeScorecard(double modelEpsilon, int limit) {
    return load(Instant.EPOCH, limit, "apprentice-")
        .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
        .map(
            logged -> {
              int matches = 0;
              for (Logged l : logged) {
                String manualChoice =
                    l.candidates().isEmpty()
                        ? ThompsonPolicy.NONE
                        : l.candidates().stream()
                            .sorted(DecisionPolicy.manualOrder())
                            .findFirst()
                            .get()
                            .campaignId();
                if (manualChoice.equals(l.shadow())) {
                  matches++;
                }
              }
              return new Scorecard(
                  logged.size(),
                  logged.isEmpty() ? 0 : (double) matches / logged.size(),
                  evaluate(logged, new Candidate("model", modelEpsilon, null, null)),
                  evaluate(logged, new Candidate("manual", 0, null, null)));
            });
  }
}
