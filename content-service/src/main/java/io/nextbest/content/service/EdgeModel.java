package io.nextbest.content.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.content.ContentConfig;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.ModelSnapshot;
import io.nextbest.models.policy.PolicyModel;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The model this replica decides with in-process: the latest snapshot decision-service published on
 * {@code nextbest.models.v1}, decoded once into the decider and the policy in force. A snapshot
 * older than {@code edge.max-model-age}, or none yet, is not decided with: the content call asks
 * decision-service over HTTP instead. The age is in {@code
 * nextbest_content_edge_model_age_seconds}.
 */
@ApplicationScoped
@Startup
public class EdgeModel {
  private static final Logger LOG = Logger.getLogger(EdgeModel.class);

  /**
   * A decoded snapshot.
   *
   * @param snapshot as published
   * @param decider the decider of its feature schema and tuning
   * @param inForce the model and mode it decides with
   */
  public record Loaded(ModelSnapshot snapshot, Decider decider, Decider.InForce inForce) {}

  private final Duration maxAge;
  private final Counter refused;
  private volatile Loaded loaded;

  public EdgeModel(ContentConfig config, MeterRegistry registry) {
    this.maxAge = config.edge().maxModelAge();
    this.refused =
        Counter.builder("nextbest.content.edge.snapshots.refused")
            .description("model snapshots that could not be read (the previous one stays)")
            .register(registry);
    Gauge.builder("nextbest.content.edge.model.age.seconds", this, EdgeModel::ageSeconds)
        .description("seconds since the model decided with was published; NaN without one")
        .strongReference(true)
        .register(registry);
  }

  /** Takes a published snapshot; unreadable bytes are counted and the previous model stays. */
  public void accept(byte[] bytes) {
    ModelSnapshot s;
    try {
      s = ModelSnapshot.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      refused.increment();
      LOG.warnf("model snapshot refused: %s", e.getMessage());
      return;
    }
    Loaded current = loaded;
    if (current != null
        && current.snapshot().version() == s.version()
        && sameModel(current.snapshot(), s)) {
      // the same arms published again: keep the fitted posteriors, take the mode and the time
      Decider decider =
          current.snapshot().settings().equals(s.settings())
                  && current.snapshot().horizonDays() == s.horizonDays()
              ? current.decider()
              : new Decider(
                  current.decider().encoder(), new DecisionPolicy(s.settings()), s.horizonDays());
      loaded = new Loaded(s, decider, s.inForce(current.inForce().model()));
      return;
    }
    FeatureEncoder encoder = new FeatureEncoder(s.schema());
    PolicyModel model = s.model(encoder);
    loaded =
        new Loaded(
            s,
            new Decider(encoder, new DecisionPolicy(s.settings()), s.horizonDays()),
            s.inForce(model));
  }

  /**
   * Whether two snapshots of one version hold the same model: the same schema, priors and arms (a
   * redeployed decision-service may load another schema's arms at the same version).
   */
  private static boolean sameModel(ModelSnapshot a, ModelSnapshot b) {
    return a.schema().equals(b.schema())
        && a.ridge() == b.ridge()
        && a.armPrior() == b.armPrior()
        && a.arms().equals(b.arms());
  }

  /** The latest held, however old; null before the first. */
  public Loaded latest() {
    return loaded;
  }

  /** The model to decide with at {@code now}, or null when there is none fresh enough. */
  public Loaded fresh(Instant now) {
    Loaded l = loaded;
    return l != null && !l.snapshot().publishedAt().plus(maxAge).isBefore(now) ? l : null;
  }

  private double ageSeconds() {
    Loaded l = loaded;
    return l == null
        ? Double.NaN
        : Duration.between(l.snapshot().publishedAt(), Instant.now()).toMillis() / 1000.0;
  }
}
