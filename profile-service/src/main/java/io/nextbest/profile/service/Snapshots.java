package io.nextbest.profile.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.features.FeatureCalculator;
import io.nextbest.profile.features.FeatureState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds the profile snapshot of a customer version: attributes, features, predictions. */
@ApplicationScoped
public class Snapshots {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ClvModels models;
  private final ObjectMapper mapper;

  public Snapshots(ClvModels models, ObjectMapper mapper) {
    this.models = models;
    this.mapper = mapper;
  }

  /** The snapshot of the customer's current version, with its stored segment memberships. */
  public ProfileSnapshot of(Customer c) {
    return of(c, segments(c));
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
        List.copyOf(segments));
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

  private ProfileSnapshot of(Customer c, List<String> segments) {
    Instant now = Instant.now();
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
            models.current(),
            now);
    return new ProfileSnapshot(
        ProfileSnapshot.idOf(c.customerId, c.version),
        ProfileSnapshot.TYPE,
        c.customerId,
        c.updatedAt == null ? now : c.updatedAt,
        c.version,
        c.attributes == null ? Map.of() : c.attributes,
        derived.features(),
        derived.predictions(),
        consents(c),
        segments);
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
