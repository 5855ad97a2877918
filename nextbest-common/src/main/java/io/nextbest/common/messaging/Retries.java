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

  /**
   * The work, subscribed again after each outage with a growing back-off. The first attempt runs
   * without any retry machinery (a hot path pays nothing for it); only an outage builds the
   * retries.
   */
  public static <T> Uni<T> whileOutage(Uni<T> work) {
    return whileOutage(work, FIRST_BACKOFF);
  }

  static <T> Uni<T> whileOutage(Uni<T> work, Duration firstBackOff) {
    return work.onFailure(Outages::isOutage)
        .recoverWithUni(
            () ->
                Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(firstBackOff)
                    .chain(() -> work)
                    .onFailure(Outages::isOutage)
                    .retry()
                    .withBackOff(firstBackOff, MAX_BACKOFF)
                    .atMost(MAX_ATTEMPTS - 1));
  }
}
