package io.nextbest.common.rest;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Recognises failures that mean a backing service is down, as opposed to a bad request. */
public final class Outages {
  private Outages() {}

  /** True when the cause chain shows a refused, closed or timed-out connection. */
  public static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BackingServiceUnavailableException
          || t instanceof ConnectException
          || t instanceof ClosedChannelException
          || t instanceof TimeoutException) {
        return true;
      }
      String name = t.getClass().getName();
      if (name.endsWith("ConnectTimeoutException")
          || name.endsWith("RedisConnectionException")
          || name.startsWith("org.apache.kafka.common.errors.TimeoutException")) {
        return true;
      }
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("connection refused")
          || message.contains("connection is closed")
          || message.contains("connection reset")
          || message.contains("failed to connect")
          || message.contains("pool closed")) {
        return true;
      }
    }
    return false;
  }
}
