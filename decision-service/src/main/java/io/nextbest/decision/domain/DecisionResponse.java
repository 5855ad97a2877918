package io.nextbest.decision.domain;

import java.time.Instant;

/**
 * The answer to a real-time decision request.
 *
 * @param decisionId id to report outcomes against
 * @param campaignId chosen campaign, or null for none
 * @param channel its channel
 * @param placement its placement
 * @param sendAt when to send (email and push at the customer's best hour), null when nothing is
 *     sent
 * @param propensity probability of this action under the policy
 * @param policyVersion the policy that decided
 * @param control the customer is held out (campaign or global control): log only, send nothing
 * @param rule what decided: manual, thompson, apprentice, learning (live mode's learning phase),
 *     none, global-control
 * @param expectedUplift expected incremental value over none, with its standard deviation; a value
 *     the model cannot give as a finite number (NaN, infinite) is null, never a string
 * @param runnerUp the best other action and its expected uplift (null when not finite)
 * @param shadowCampaignId in apprentice mode and live mode's learning phase, what the model would
 *     have chosen ("none" for none)
 */
public record DecisionResponse(
    String decisionId,
    String campaignId,
    String channel,
    String placement,
    Instant sendAt,
    double propensity,
    String policyVersion,
    boolean control,
    String rule,
    Uplift expectedUplift,
    RunnerUp runnerUp,
    String shadowCampaignId) {

  /** Expected incremental value with its uncertainty; null where not a finite number. */
  public record Uplift(Double mean, Double sd) {
    /** From the policy's numbers: NaN and infinities become null. */
    public static Uplift of(double mean, double sd) {
      return new Uplift(finite(mean), finite(sd));
    }
  }

  /** The second-best action ("none" for none); its uplift null where not a finite number. */
  public record RunnerUp(String campaignId, Double expectedUplift) {
    public static RunnerUp of(String campaignId, double expectedUplift) {
      return new RunnerUp(campaignId, finite(expectedUplift));
    }
  }

  /** The number, or null when it is NaN or infinite (JSON has no such number). */
  public static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
