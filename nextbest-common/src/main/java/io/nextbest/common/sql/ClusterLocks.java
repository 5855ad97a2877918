package io.nextbest.common.sql;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes the {@link ClusterLock}s of a service's single-replica jobs, on its pool and metrics. */
@ApplicationScoped
public class ClusterLocks {
  private final Pool pool;
  private final MeterRegistry registry;

  public ClusterLocks(Pool pool, MeterRegistry registry) {
    this.pool = pool;
    this.registry = registry;
  }

  /** The lock of one job. */
  public ClusterLock of(ClusterLock.Key key) {
    return new ClusterLock(pool, key, registry);
  }
}
