package io.nextbest.decision.learning;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.models.policy.DecisionPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one decision policy of the service, configured from {@code nextbest.decision.*}. */
public class PolicyProducer {

  @Produces
  @Singleton
  DecisionPolicy policy(DecisionConfig config) {
    return new DecisionPolicy(
        new DecisionPolicy.Settings(
            config.epsilon(),
            config.apprenticeEpsilon(),
            config.propensityNodes(),
            config.temperature(),
            config.apprenticeModelShare()));
  }
}
