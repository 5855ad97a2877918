package io.nextbest.common.health;

import io.nextbest.common.redis.RunToEnd;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Redis cache. Redis only holds copies (hot profiles, counters rebuilt from
 * PostgreSQL), so a service without it still answers correctly, only slower: the check stays UP and
 * says {@code degraded} instead of taking the pod out of its Service.
 */
@Readiness
@ApplicationScoped
public class RedisCacheCheck implements AsyncHealthCheck {
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final String NAME = "Redis cache";

  private final ReactiveRedisDataSource redis;

  public RedisCacheCheck(ReactiveRedisDataSource redis) {
    this.redis = redis;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return RunToEnd.started(redis.execute("PING"))
        .ifNoItem()
        .after(TIMEOUT)
        .fail()
        .map(pong -> HealthCheckResponse.named(NAME).up().withData("state", "ok").build())
        .onFailure()
        .recoverWithItem(
            e ->
                HealthCheckResponse.named(NAME)
                    .up()
                    .withData("state", "degraded")
                    .withData("reason", "no answer within " + TIMEOUT + ": " + e.getMessage())
                    .build());
  }
}
