package io.nextbest.eligibility.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.eligibility.config.MomentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a profile change or an event is recent enough to be a realtime moment ({@link
 * MomentConfig#maxAge()}); the others are counted in {@code nextbest_moments_stale_total} by cause
 * ({@code profile}, {@code event}) and yield no moment.
 */
@ApplicationScoped
public class MomentAge {
  /** Counter of causes too old to be decided now. */
  public static final String STALE = "nextbest.moments.stale";

  private final Duration maxAge;
  private final Counter staleProfiles;
  private final Counter staleEvents;

  public MomentAge(MomentConfig config, MeterRegistry registry) {
    this.maxAge = config.maxAge();
    this.staleProfiles = counter(registry, "profile");
    this.staleEvents = counter(registry, "event");
  }

  private static Counter counter(MeterRegistry registry, String cause) {
    return Counter.builder(STALE)
        .description("profile changes and events older than nextbest.moments.max-age, not decided")
        .tag("cause", cause)
        .register(registry);
  }

  /** A profile change that happened at {@code changedAt} (null: unknown, taken as fresh). */
  public boolean freshProfile(Instant changedAt, Instant now) {
    return fresh(changedAt, now, staleProfiles);
  }

  /** An event that happened at {@code occurredAt} (null: unknown, taken as fresh). */
  public boolean freshEvent(Instant occurredAt, Instant now) {
    return fresh(occurredAt, now, staleEvents);
  }

  private boolean fresh(Instant at, Instant now, Counter stale) {
    if (at == null || !at.isBefore(now.minus(maxAge))) {
      return true;
    }
    stale.increment();
    return false;
  }
}
