package io.nextbest.common.redis;

import io.smallrye.mutiny.Uni;

/**
 * Calls that are started at once and run to their end even when the caller stops waiting (a budget,
 * a timeout, a sibling call that failed). The Redis client of this Quarkus line loses a pooled
 * connection when a command is cancelled while the pool is handing that connection out
 * (quarkusio/quarkus#56393); a few hundred cancelled calls would leave the service without any
 * connection. A cancelled HTTP call to another service closes its pooled connection, so under load
 * each call past its budget would cost the next one a new connection. Callers may give up on the
 * returned {@code Uni}; the call itself is never cancelled.
 */
public final class RunToEnd {
  private RunToEnd() {}

  /** Subscribes to {@code call} now; every subscriber of the result shares its one outcome. */
  public static <T> Uni<T> started(Uni<T> call) {
    Uni<T> shared = call.memoize().indefinitely();
    shared.subscribe().with(item -> {}, failure -> {});
    return shared;
  }
}
