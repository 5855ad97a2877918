package io.nextbest.decision.learning;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.domain.ValueSums;
import io.nextbest.decision.repository.PolicySumsRepository;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.PolicyModel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The running sums behind promotion, demotion and the policy view, per bucket — {@code apprentice}
 * (decisions of apprentice mode and of live mode's learning phase) and {@code live} (decisions the
 * model took since it last went live) — and per target policy: {@code model} (the live bandit),
 * {@code manual} (the marketer's order without exploration), {@code diff} (model minus manual,
 * paired on the same decisions, doubly robust) and {@code logged} (what actually ran, on-policy).
 * Each closed decision adds its terms once, scored with the model as it was before that decision
 * was learned; memory and time do not grow with the log. Apprentice decisions are also summed per
 * stream day ({@code apprentice@<epoch day>}, only the promotion window's days kept), so promotion
 * judges the recent model.
 */
@ApplicationScoped
public class PromotionSums {
  public static final String APPRENTICE = "apprentice";
  public static final String LIVE = "live";
  public static final String MODEL = "model";
  public static final String MANUAL = "manual";
  public static final String DIFF = "diff";
  public static final String LOGGED = "logged";
  private static final String DAY = "@";

  /**
   * A closed decision to score.
   *
   * @param replay the decision as the policy saw it
   * @param propensity probability of the logged action under the logging policy
   * @param policyVersion which policy logged it
   * @param decidedAt when
   * @param reward its horizon's reward
   */
  public record Scored(
      Replay replay, double propensity, String policyVersion, Instant decidedAt, double reward) {}

  private final PolicySumsRepository repository;
  private final DecisionPolicy policy;
  private final CampaignInfo campaigns;
  private final DecisionConfig config;

  public PromotionSums(
      PolicySumsRepository repository,
      DecisionPolicy policy,
      CampaignInfo campaigns,
      DecisionConfig config) {
    this.repository = repository;
    this.policy = policy;
    this.campaigns = campaigns;
    this.config = config;
  }

  /** The bucket a logged decision's value counts in, or null (global control, unknown). */
  static String bucket(String policyVersion) {
    if (policyVersion == null) {
      return null;
    }
    if (policyVersion.startsWith("apprentice-") || policyVersion.startsWith("learning-")) {
      return APPRENTICE;
    }
    if (policyVersion.startsWith("thompson-") || policyVersion.startsWith("manual-priority")) {
      return LIVE;
    }
    return null;
  }

  /** Adds closed decisions' terms in the learning transaction. */
  Uni<Void> add(SqlConnection conn, List<Scored> decisions, PolicyModel model) {
    Map<String, ValueSums> sums = new HashMap<>();
    for (Scored s : decisions) {
      String bucket = bucket(s.policyVersion());
      if (bucket == null || !(s.propensity() > 0)) {
        continue;
      }
      Replay r = s.replay();
      Map<String, Double> q = DecisionPolicy.expectedValues(r.none(), r.arms(), model);
      Map<String, Double> pModel =
          policy.probabilities(MODEL, config.epsilon(), r.none(), r.arms(), model, campaigns);
      Map<String, Double> pManual =
          policy.probabilities(MANUAL, 0, r.none(), r.arms(), model, campaigns);
      double qLogged = q.getOrDefault(r.action(), 0.0);
      double wModel = pModel.getOrDefault(r.action(), 0.0) / s.propensity();
      double wManual = pManual.getOrDefault(r.action(), 0.0) / s.propensity();
      double drModel = direct(pModel, q) + wModel * (s.reward() - qLogged);
      double drManual = direct(pManual, q) + wManual * (s.reward() - qLogged);
      boolean match = matches(pModel, r.action());
      List<String> buckets =
          APPRENTICE.equals(bucket)
              ? List.of(bucket, dayBucket(bucket, s.decidedAt()))
              : List.of(bucket);
      for (String b : buckets) {
        merge(sums, b, MODEL, ValueSums.ZERO.add(wModel, s.reward(), drModel, match));
        merge(sums, b, MANUAL, ValueSums.ZERO.add(wManual, s.reward(), drManual, false));
        merge(
            sums,
            b,
            DIFF,
            ValueSums.ZERO.add(wModel - wManual, s.reward(), drModel - drManual, match));
        merge(sums, b, LOGGED, ValueSums.ZERO.add(1, s.reward(), s.reward(), false));
      }
    }
    if (sums.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<PolicySumsRepository.Terms> terms = new ArrayList<>();
    sums.forEach(
        (key, v) -> {
          String[] k = key.split("/", 2);
          terms.add(new PolicySumsRepository.Terms(k[0], k[1], v));
        });
    return repository.addAll(conn, terms).chain(() -> prune(conn)).replaceWithVoid();
  }

  /** The bucket of one stream day's decisions of {@code bucket}: {@code apprentice@<epoch day>}. */
  static String dayBucket(String bucket, Instant decidedAt) {
    return bucket + DAY + Math.floorDiv(decidedAt.getEpochSecond(), 86_400L);
  }

  /** Drops the day buckets older than the promotion window: a bounded number of rows. */
  Uni<Void> prune(SqlConnection conn) {
    int days = config.promotion().windowDays();
    if (days <= 0) {
      return Uni.createFrom().voidItem();
    }
    return repository.pruneDays(conn, APPRENTICE + DAY + "%", days);
  }

  /**
   * The sums of {@code bucket}'s decisions of the last {@code days} stream days (those up to the
   * latest day with a closed decision), by target policy; every decision of the bucket when {@code
   * days} is 0 or no day bucket exists.
   */
  public Uni<Map<String, ValueSums>> readRecent(String bucket, int days) {
    if (days <= 0) {
      return read(bucket);
    }
    return repository
        .recentDays(bucket + DAY + "%", days)
        .chain(recent -> recent.isEmpty() ? read(bucket) : Uni.createFrom().item(recent));
  }

  /**
   * The sums of the latest stream days of {@code bucket} within the last {@code days} days that
   * hold at least {@code decisions} closed decisions (the whole window when it holds fewer); every
   * decision since the bucket began when {@code days} is 0 or no day bucket exists.
   */
  public Uni<Map<String, ValueSums>> readLatest(String bucket, int days, long decisions) {
    if (days <= 0) {
      return read(bucket);
    }
    return repository
        .latestDays(bucket + DAY + "%", days, decisions, LOGGED)
        .chain(recent -> recent.isEmpty() ? read(bucket) : Uni.createFrom().item(recent));
  }

  /** The sums of one bucket, by target policy (absent ones are zero). */
  public Uni<Map<String, ValueSums>> read(String bucket) {
    return repository.byBucket(bucket);
  }

  /** Starts a bucket afresh (when its mode begins again), its day buckets with it. */
  public Uni<Void> reset(String bucket) {
    return repository.delete(bucket, bucket + DAY + "%");
  }

  /**
   * Whether the model's top action is the one taken (in apprentice mode manual priority's choice,
   * live the model's own draw): the scorecard's match, defined as the evaluations' for the model.
   */
  static boolean matches(Map<String, Double> modelProbabilities, String loggedAction) {
    return ValueSums.topAction(modelProbabilities).equals(loggedAction);
  }

  private static void merge(Map<String, ValueSums> sums, String bucket, String p, ValueSums v) {
    sums.merge(bucket + "/" + p, v, ValueSums::plus);
  }

  private static double direct(Map<String, Double> p, Map<String, Double> q) {
    double v = 0;
    for (var e : p.entrySet()) {
      v += e.getValue() * q.getOrDefault(e.getKey(), 0.0);
    }
    return v;
  }
}
