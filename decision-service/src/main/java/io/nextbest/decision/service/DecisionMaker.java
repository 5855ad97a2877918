package io.nextbest.decision.service;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.DecisionPolicy;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides with the model and mode in force on this replica ({@link Decider}, the code the edge
 * decides with too), and counts the context keys the feature encoder ignored.
 */
@ApplicationScoped
public class DecisionMaker {
  private final Decider decider;
  private final ModelStore models;
  private final CampaignInfo campaigns;
  private final ContextKeys contextKeys;

  public DecisionMaker(
      DecisionConfig config,
      DecisionPolicy policy,
      ModelStore models,
      CampaignInfo campaigns,
      ContextKeys contextKeys) {
    this.decider = new Decider(models.encoder(), policy, config.reward().horizonDays());
    this.models = models;
    this.campaigns = campaigns;
    this.contextKeys = contextKeys;
  }

  public DecisionPolicy policy() {
    return decider.policy();
  }

  @WithSpan("nextbest.decision.decide")
  public Decider.Decided decide(Decider.Request r) {
    Decider.Decided decided = decider.decide(r, models.state().inForce(), campaigns);
    contextKeys.ignored(decided.ignored());
    return decided;
  }
}
