package io.nextbest.decision.policy;

import io.nextbest.events.Moment;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the eligible campaign with the highest manual priority (ties broken by campaign id, so
 * the choice is deterministic). Deterministic, so the propensity of the chosen action is 1.
 */
public final class ManualPriorityPolicy {
  public static final String VERSION = "manual-priority-1";

  private static final Comparator<Moment.EligibleCampaign> ORDER =
      Comparator.comparing(
              (Moment.EligibleCampaign c) ->
                  c.priority() == null ? Integer.MIN_VALUE : c.priority())
          .reversed()
          .thenComparing(Moment.EligibleCampaign::campaignId);

  private ManualPriorityPolicy() {}

  /** The chosen campaign, or empty for "none" when nothing is eligible. */
  public static Optional<Moment.EligibleCampaign> choose(List<Moment.EligibleCampaign> candidates) {
    return candidates.stream().min(ORDER);
  }

  /** Probability that this policy takes the action it took. */
  public static double propensity() {
    return 1.0;
  }
}
