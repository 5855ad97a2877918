package io.nextbest.common.health;

import io.nextbest.common.config.MessagingConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A service whose messaging channel has failed (a consumer closed by the commit throttle after a
 * handler was blocked too long, a broker error it does not recover from) cannot heal in place:
 * SmallRye does not restart a failed channel. When messaging liveness has been DOWN for {@code
 * nextbest.messaging.exit-after} (30 s), the service exits with code {@value #EXIT_CODE}, and its
 * supervisor starts it again: Kubernetes restarts the container (its liveness probe reports the
 * same failure), {@code bin/nextbest up} runs every service under a restarting supervisor. The new
 * process resumes each consumer from its last committed offset, so nothing is lost.
 */
@ApplicationScoped
public class ChannelWatchdog {
  /** The exit code of a service restarting for a failed channel. */
  public static final int EXIT_CODE = 3;

  private static final Logger LOG = Logger.getLogger(ChannelWatchdog.class);
  private final HealthCenter health;
  private final boolean enabled;
  private final Duration exitAfter;
  private volatile Instant failingSince;

  public ChannelWatchdog(HealthCenter health, MessagingConfig config) {
    this.health = health;
    this.enabled = config.watchdog();
    this.exitAfter = config.exitAfter();
  }

  @Scheduled(
      every = "${nextbest.messaging.watch-interval}",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void watch() {
    if (!enabled || !health.isInitialized()) {
      return;
    }
    HealthReport live = health.getLiveness();
    if (live.isOk()) {
      if (failingSince != null) {
        LOG.info("messaging channels are live again");
      }
      failingSince = null;
      return;
    }
    String failed =
        live.getChannels().stream()
            .filter(c -> !c.isOk())
            .map(c -> c.getChannel() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"))
            .collect(Collectors.joining(", "));
    Instant now = Instant.now();
    if (failingSince == null) {
      failingSince = now;
      LOG.warnf(
          "messaging channel failed: %s; restarting in %s unless it recovers", failed, exitAfter);
      return;
    }
    if (Duration.between(failingSince, now).compareTo(exitAfter) >= 0) {
      LOG.errorf(
          "messaging channel failed for %s: %s; exiting with code %d so the supervisor starts the"
              + " service again",
          exitAfter, failed, EXIT_CODE);
      Quarkus.asyncExit(EXIT_CODE);
    }
  }
}
