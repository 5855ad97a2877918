package io.nextbest.common.messaging;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * A Kafka admin client made on first use (a service that never asks opens no connection) and closed
 * with its owner.
 */
public final class LazyAdmin implements AutoCloseable {
  private final Map<String, Object> config;
  private volatile Admin admin;

  /**
   * @param config the admin client's settings
   */
  public LazyAdmin(Map<String, Object> config) {
    this.config = Map.copyOf(config);
  }

  /** The client, made now if this is the first call. */
  public Admin get() {
    Admin a = admin;
    if (a == null) {
      synchronized (this) {
        if (admin == null) {
          admin = Admin.create(config);
        }
        a = admin;
      }
    }
    return a;
  }

  /** Closes the client if it was made, waiting a second at most. */
  @Override
  public void close() {
    Admin a = admin;
    if (a != null) {
      a.close(Duration.ofSeconds(1));
    }
  }
}
