package io.nextbest.decision.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.events.Decision;
import io.nextbest.models.policy.Decider;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts published decisions and the decisions made without a backing service, for operators.
 *
 * <ul>
 *   <li>{@code nextbest_decisions_total} by {@code outcome} ({@code campaign}: a campaign to send;
 *       {@code control}: a campaign chosen for a customer in its control group, logged only; {@code
 *       held-out}: a customer of the global control group; {@code none}), {@code rule} (what
 *       decided: {@code manual}, {@code thompson}, {@code apprentice}, {@code none}, {@code
 *       global-control}) and {@code source} ({@code realtime} request or {@code moment} from
 *       eligibility-service).
 *   <li>{@code nextbest_decision_fallbacks_total} by {@code reason}: a decision made without the
 *       customer's profile or recent sends because Redis or PostgreSQL did not answer.
 * </ul>
 *
 * Every tag takes a value from a fixed set, never an id.
 */
@ApplicationScoped
public class DecisionCounts {
  /** Counter of decisions published. */
  public static final String DECISIONS = "nextbest.decisions";

  /** Counter of decisions made without a backing service's answer. */
  public static final String FALLBACKS = "nextbest.decision.fallbacks";

  /** The profile could not be read: decided without it. */
  public static final String PROFILE_UNAVAILABLE = "profile-unavailable";

  /** The customer's recent sends could not be read: decided without contact pressure. */
  public static final String CONTACTS_UNAVAILABLE = "contacts-unavailable";

  private static final Set<String> RULES =
      Set.of("manual", "thompson", "apprentice", "learning", "none", Decider.GLOBAL_CONTROL);

  private final MeterRegistry registry;
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
  private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();

  public DecisionCounts(MeterRegistry registry) {
    this.registry = registry;
    for (String reason : Set.of(PROFILE_UNAVAILABLE, CONTACTS_UNAVAILABLE)) {
      fallback(reason, 0);
    }
  }

  /** Counts a published decision. */
  public void published(Decider.Decided decided) {
    Decision d = decided.decision();
    String outcome = outcome(d);
    String rule = rule(decided.result().rule());
    String source = d.momentId() == null ? "realtime" : "moment";
    decisions
        .computeIfAbsent(
            outcome + '|' + rule + '|' + source,
            k ->
                Counter.builder(DECISIONS)
                    .description("decisions published, by outcome, deciding rule and source")
                    .tag("outcome", outcome)
                    .tag("rule", rule)
                    .tag("source", source)
                    .register(registry))
        .increment();
  }

  /** Counts a decision made without a backing service ({@link #PROFILE_UNAVAILABLE}, ...). */
  public void fallback(String reason) {
    fallback(reason, 1);
  }

  /** Counts {@code decisions} decisions made without a backing service. */
  public void fallback(String reason, int decisions) {
    fallback(reason, (double) decisions);
  }

  private void fallback(String reason, double amount) {
    fallbacks
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder(FALLBACKS)
                    .description("decisions made without a backing service, by what was missing")
                    .tag("reason", r)
                    .register(registry))
        .increment(amount);
  }

  /** What a decision amounts to: campaign, control, held-out or none. */
  static String outcome(Decision d) {
    if (Decider.GLOBAL_CONTROL.equals(d.policyVersion())) {
      return "held-out";
    }
    if (d.campaignId() == null) {
      return "none";
    }
    return d.control() ? "control" : "campaign";
  }

  /** The deciding rule, or {@code other} for a value outside the known few. */
  static String rule(String rule) {
    return rule != null && RULES.contains(rule) ? rule : "other";
  }
}
