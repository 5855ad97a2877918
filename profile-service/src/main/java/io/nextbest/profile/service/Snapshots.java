package io.nextbest.profile.service;

import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.domain.Customer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the profile snapshot published for a customer version. */
public final class Snapshots {
  private Snapshots() {}

  public static ProfileSnapshot of(Customer c) {
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("eventCount", c.eventCount);
    features.put("purchaseCount", c.purchaseCount);
    features.put("monetary", c.monetary);
    features.put("firstEventAt", c.firstEventAt);
    features.put("lastEventAt", c.lastEventAt);
    return new ProfileSnapshot(
        ProfileSnapshot.idOf(c.customerId, c.version),
        ProfileSnapshot.TYPE,
        c.customerId,
        c.updatedAt == null ? Instant.now() : c.updatedAt,
        c.version,
        c.attributes == null ? Map.of() : c.attributes,
        features);
  }
}
