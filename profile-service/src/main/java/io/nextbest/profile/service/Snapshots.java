package io.nextbest.profile.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.models.segments.ClusterModel;
import io.nextbest.profile.config.CurrencyConfig;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.features.Currencies;
import io.nextbest.profile.features.FeatureCalculator;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.segments.SegmentCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the profile snapshot of a customer version: attributes, features (monetary values in the
 * base currency, named in {@code features.currency}), predictions (with the models that made them
 * under {@code predictions.models}).
 */
@ApplicationScoped
public class Snapshots {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ClvModels models;
  private final SegmentCatalog segmentModels;
  private final ObjectMapper mapper;
  private final String currency;

  public Snapshots(
      ClvModels models,
      SegmentCatalog segmentModels,
      ObjectMapper mapper,
      CurrencyConfig currency) {
    this.models = models;
    this.segmentModels = segmentModels;
    this.mapper = mapper;
    this.currency = new Currencies(currency.base(), currency.rates()).base();
  }

  /** The moment profiles are derived at now: the CLV model's declared one, else now. */
  public Instant moment() {
    return models.current().momentAt(Instant.now());
  }

  /** The snapshot of the customer's current version, with its stored segment memberships. */
  public ProfileSnapshot of(Customer c) {
    return of(c, null);
  }

  /**
   * The same, for a version that folded events: {@code changedAt} is the latest of their times
   * (null: the version's write time), so a consumer can tell a replayed or imported change from a
   * fresh one.
   */
  public ProfileSnapshot of(Customer c, Instant changedAt) {
    return of(c, segments(c), changedAt);
  }

  /** The same snapshot with other segment memberships. */
  public ProfileSnapshot withSegments(ProfileSnapshot s, List<String> segments) {
    return new ProfileSnapshot(
        s.id(),
        s.type(),
        s.customerId(),
        s.occurredAt(),
        s.version(),
        s.attributes(),
        s.features(),
        s.predictions(),
        s.consents(),
        List.copyOf(segments),
        s.changedAt());
  }

  public List<String> segments(Customer c) {
    try {
      return c.segments == null || c.segments.isBlank()
          ? List.of()
          : List.of(mapper.readValue(c.segments, String[].class));
    } catch (Exception e) {
      throw new IllegalStateException("unreadable segments of " + c.customerId, e);
    }
  }

  public void storeSegments(Customer c, List<String> segments) {
    try {
      c.segments = mapper.writeValueAsString(segments);
    } catch (Exception e) {
      throw new IllegalStateException("cannot store segments", e);
    }
  }

  private ProfileSnapshot of(Customer c, List<String> segments, Instant changedAt) {
    Instant now = Instant.now();
    ClvModel clv = models.current();
    // one moment for features and predictions alike: the model's declared one, else now
    Instant moment = clv.momentAt(now);
    var derived =
        FeatureCalculator.derive(
            new FeatureCalculator.Counts(
                c.eventCount,
                c.purchaseCount,
                c.monetary.doubleValue(),
                c.firstEventAt,
                c.lastEventAt),
            state(c),
            c.attributes == null ? Map.of() : c.attributes,
            clv,
            moment);
    derived.features().put("currency", currency);
    derived.predictions().put("models", modelsUsed(clv, segmentModels.clusters()));
    Instant written = c.updatedAt == null ? now : c.updatedAt;
    return new ProfileSnapshot(
        ProfileSnapshot.idOf(c.customerId, c.version),
        ProfileSnapshot.TYPE,
        c.customerId,
        written,
        c.version,
        c.attributes == null ? Map.of() : c.attributes,
        derived.features(),
        derived.predictions(),
        consents(c),
        segments,
        changedAt == null ? written : changedAt);
  }

  /**
   * Which fits produced the predictions and the marketing segment: {@code clv} (version, fit time,
   * customers fitted on; version 0, {@code builtIn}, is the CDNOW prior used until the first fit)
   * and {@code segments} (the K-means fit assigning the marketing segment; null before the first).
   */
  static Map<String, Object> modelsUsed(ClvModel clv, ClusterModel clusters) {
    Map<String, Object> clvPart = new LinkedHashMap<>();
    boolean builtIn = clv.version() == ClvModel.PRIOR.version();
    clvPart.put("version", clv.version());
    clvPart.put("builtIn", builtIn);
    clvPart.put("fittedAt", builtIn ? null : clv.fittedAt());
    clvPart.put("customers", clv.customers());
    clvPart.put("asOf", clv.asOf());
    Map<String, Object> segmentPart = null;
    if (clusters != null) {
      segmentPart = new LinkedHashMap<>();
      segmentPart.put("version", clusters.version());
      segmentPart.put("fittedAt", clusters.fittedAt());
      segmentPart.put("customers", clusters.customers());
      segmentPart.put("asOf", clusters.asOf());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clv", clvPart);
    out.put("segments", segmentPart);
    return out;
  }

  public FeatureState state(Customer c) {
    try {
      return c.state == null || c.state.isBlank()
          ? new FeatureState()
          : mapper.readValue(c.state, FeatureState.class);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable feature state of " + c.customerId, e);
    }
  }

  public void store(Customer c, FeatureState s) {
    try {
      c.state = mapper.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException("cannot store feature state", e);
    }
  }

  public Map<String, Object> consents(Customer c) {
    try {
      return c.consents == null || c.consents.isBlank()
          ? Map.of()
          : mapper.readValue(c.consents, MAP);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable consents of " + c.customerId, e);
    }
  }

  public void storeConsents(Customer c, Map<String, Object> consents) {
    try {
      c.consents = mapper.writeValueAsString(consents);
    } catch (Exception e) {
      throw new IllegalStateException("cannot store consents", e);
    }
  }
}
