package io.nextbest.common.messaging;

import io.nextbest.common.rest.Outages;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Consumers keep a message (and so their partition's order) while a backing service is down, and
 * carry on when it returns; only failures that are not outages reach the failure strategy.
 */
public final class Retries {
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** About an hour of retries at the maximum back-off. */
  private static final long MAX_ATTEMPTS = 720;

  private Retries() {}

  public static <T> Uni<T> whileOutage(Uni<T> work) {
    return work.onFailure(Outages::isOutage)
        .retry()
        .withBackOff(FIRST_BACKOFF, MAX_BACKOFF)
        .atMost(MAX_ATTEMPTS);
  }
}
