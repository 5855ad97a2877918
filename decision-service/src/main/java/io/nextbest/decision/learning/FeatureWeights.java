package io.nextbest.decision.learning;

import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.PolicyModel;
import io.nextbest.models.policy.Posterior;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the model pays attention to: per arm (each campaign and "none"), the features whose
 * posterior mean coefficient moves the predicted reward most, |θᵢ| × sdᵢ — a coefficient times how
 * much its feature varies over the decisions the arm was played on (over every decision, from the
 * base, for an arm with fewer than two), so a feature on a large scale does not look heavy only for
 * its unit. Plain Java over the model snapshot in force.
 */
public final class FeatureWeights {
  private FeatureWeights() {}

  /**
   * One feature of an arm.
   *
   * @param feature its name in the encoder's schema
   * @param coefficient the posterior mean coefficient
   * @param sd the feature's standard deviation over the arm's decisions
   * @param weight |coefficient| × sd: how much the feature moves a prediction
   */
  public record Feature(String feature, double coefficient, double sd, double weight) {}

  /**
   * An arm's heaviest features.
   *
   * @param arm the campaign id, or "none"
   * @param observations decisions learned on it
   * @param features the heaviest first
   */
  public record Arm(String arm, long observations, List<Feature> features) {}

  /**
   * The {@code top} heaviest features of at most {@code maxArms} arms (most observed first), the
   * attribute pools, the base and the journey horizon's arms left out.
   */
  public static List<Arm> heaviest(PolicyModel model, List<String> names, int top, int maxArms) {
    int intercept = FeatureEncoder.INTERCEPT;
    Map<String, LinearArm> stats = model.stats();
    LinearArm base = stats.get(PolicyModel.BASE);
    double[] baseSd = base == null ? new double[names.size()] : base.featureSd(intercept);
    List<String> arms = new ArrayList<>();
    for (String id : new TreeMap<>(stats).keySet()) {
      if (!id.startsWith(PolicyModel.POOL)
          && !id.startsWith(DecisionPolicy.LONG)
          && !id.equals(PolicyModel.BASE)) {
        arms.add(id);
      }
    }
    arms.sort(Comparator.comparingLong((String id) -> -stats.get(id).count()));
    List<Arm> out = new ArrayList<>();
    for (String id : arms.subList(0, Math.min(maxArms, arms.size()))) {
      LinearArm arm = stats.get(id);
      Posterior p = model.posterior(id);
      double[] theta = p.mean();
      double[] sd = arm.count() >= 2 ? arm.featureSd(intercept) : baseSd;
      List<Feature> features = new ArrayList<>();
      for (int i = 0; i < Math.min(theta.length, names.size()); i++) {
        if (i == intercept || !Double.isFinite(theta[i]) || sd[i] == 0) {
          continue;
        }
        features.add(new Feature(names.get(i), theta[i], sd[i], Math.abs(theta[i]) * sd[i]));
      }
      features.sort(Comparator.comparingDouble(Feature::weight).reversed());
      out.add(
          new Arm(
              id, arm.count(), List.copyOf(features.subList(0, Math.min(top, features.size())))));
    }
    return out;
  }
}
