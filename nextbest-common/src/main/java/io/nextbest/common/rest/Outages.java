package io.nextbest.common.rest;

import io.smallrye.mutiny.CompositeException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Recognises failures that mean a backing service is down, as opposed to a bad request. */
public final class Outages {
  private Outages() {}

  /**
   * True when the cause chain — or any of several failures collected together, as a batch's
   * failures are — shows a refused, closed, lost or timed-out connection.
   */
  public static boolean isOutage(Throwable failure) {
    return isOutage(failure, 0);
  }

  private static boolean isOutage(Throwable failure, int depth) {
    for (Throwable t = failure;
        t != null && depth < 8;
        t = t.getCause() == t ? null : t.getCause()) {
      if (looksLikeOutage(t)) {
        return true;
      }
      if (t instanceof CompositeException composite) {
        for (Throwable c : composite.getCauses()) {
          if (isOutage(c, depth + 1)) {
            return true;
          }
        }
      }
      for (Throwable s : t.getSuppressed()) {
        if (isOutage(s, depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean looksLikeOutage(Throwable t) {
    if (t instanceof BackingServiceUnavailableException
        || t instanceof ConnectException
        || t instanceof ClosedChannelException
        || t instanceof TimeoutException) {
      return true;
    }
    String name = t.getClass().getName();
    if (name.endsWith("TimeoutException")
        || name.endsWith("RedisConnectionException")
        || name.endsWith("ClosedConnectionException")
        || name.startsWith("org.apache.kafka.common.errors.TimeoutException")) {
      return true;
    }
    String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    return message.contains("connection refused")
        || message.contains("connection is closed")
        || message.contains("connection reset")
        || message.contains("connection may have been lost")
        || message.contains("failed to connect")
        || message.contains("pool closed");
  }
}
