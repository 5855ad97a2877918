package io.nextbest.eligibility.sweep;

import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.eligibility.config.SweepConfig;
import io.nextbest.eligibility.domain.SweepStatus;
import io.nextbest.eligibility.messaging.MomentPublisher;
import io.nextbest.eligibility.repository.SweepRepository;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Scheduled campaigns: every {@code everyMinutes} the campaign's segment is walked page by page and
 * each eligible customer gets a moment ({@code m:s:<sweep>:<customer>}), at most {@code
 * nextbest.sweep.max-moments-per-second}. A schedule slot is claimed in PostgreSQL first, so one
 * replica sweeps it once; progress is written back as the sweep goes.
 */
@ApplicationScoped
public class Sweeps {
  private static final Logger LOG = Logger.getLogger(Sweeps.class);
  private static final int CONCURRENCY = 32;

  private final SweepRepository sweeps;
  private final CampaignCatalog catalog;
  private final Audience audience;
  private final MomentPublisher moments;
  private final int maxPerSecond;
  private final Vertx vertx;

  public Sweeps(
      Vertx vertx,
      SweepRepository sweeps,
      CampaignCatalog catalog,
      Audience audience,
      MomentPublisher moments,
      SweepConfig config) {
    this.vertx = vertx;
    this.sweeps = sweeps;
    this.catalog = catalog;
    this.audience = audience;
    this.moments = moments;
    this.maxPerSecond = config.maxMomentsPerSecond();
  }

  @Scheduled(
      every = "${nextbest.sweep.interval}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> due() {
    long minute = Instant.now().getEpochSecond() / 60;
    return catalog
        .rules()
        .chain(
            rules ->
                Multi.createFrom()
                    .iterable(rules.campaigns())
                    .filter(c -> c.spec().active() && "schedule".equals(c.spec().triggerType()))
                    .onItem()
                    .transformToUniAndConcatenate(
                        c -> claim(c.spec(), minute / c.spec().trigger().everyMinutes()))
                    .collect()
                    .asList())
        .replaceWithVoid()
        .onFailure()
        .invoke(e -> LOG.warnf("scheduled sweeps not started: %s", e.getMessage()))
        .onFailure()
        .recoverWithNull();
  }

  /** Starts a sweep now (outside the schedule); answers its first status. */
  public Uni<SweepStatus> start(String campaignId) {
    return catalog
        .rules()
        .chain(
            rules -> {
              CompiledCampaign c =
                  rules.campaigns().stream()
                      .filter(x -> x.id().equals(campaignId))
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new jakarta.ws.rs.NotFoundException(
                                  "No campaign '" + campaignId + "'."));
              // a manual sweep takes a slot of its own: the negative of the time it was asked for
              return claim(c.spec(), -System.currentTimeMillis());
            })
        .onItem()
        .ifNull()
        .failWith(() -> new jakarta.ws.rs.ClientErrorException("The sweep could not start.", 409));
  }

  public Uni<SweepStatus> status(String sweepId) {
    return sweeps.byId(sweepId);
  }

  public Uni<List<SweepStatus>> recent(String campaignId) {
    return sweeps.latest(campaignId);
  }

  /** Claims the slot; when this call got it, runs the sweep in the background. */
  private Uni<SweepStatus> claim(CampaignSpec spec, long slot) {
    String sweepId = spec.id() + ":" + Long.toUnsignedString(slot, 36);
    return sweeps
        .claim(sweepId, spec.id(), slot)
        .map(
            claimed -> {
              if (claimed == null) {
                return null;
              }
              // on a context of its own, which outlives the request or timer that started it
              var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
              VertxContextSafetyToggle.setContextSafe(context, true);
              context.runOnContext(
                  ignored ->
                      run(spec, sweepId)
                          .subscribe()
                          .with(
                              v -> LOG.infof("sweep %s finished", sweepId),
                              e -> LOG.errorf("sweep %s failed: %s", sweepId, e.getMessage())));
              return claimed;
            });
  }

  private Uni<Void> run(CampaignSpec spec, String sweepId) {
    AtomicLong emitted = new AtomicLong();
    long started = System.nanoTime();
    String segment = spec.trigger() == null ? null : spec.trigger().segment();
    return audience
        .walk(
            segment,
            Long.MAX_VALUE,
            page ->
                Multi.createFrom()
                    .iterable(page)
                    .onItem()
                    .transformToUni(
                        c ->
                            moments
                                .emitIfEligible(
                                    "m:s:" + sweepId + ":" + c.id(),
                                    sweepId,
                                    new EligibilityEngine.Request(
                                        c.id(),
                                        c.profile(),
                                        null,
                                        null,
                                        null,
                                        Instant.now(),
                                        EligibilityEngine.Mode.SWEEP,
                                        spec.id()))
                                .invoke(
                                    sent -> {
                                      if (sent) {
                                        emitted.incrementAndGet();
                                      }
                                    }))
                    .merge(CONCURRENCY)
                    .collect()
                    .asList()
                    .chain(() -> progress(sweepId, page.size(), emitted.get()))
                    .chain(() -> throttle(started, emitted.get()))
                    .replaceWith(true))
        .chain(visited -> sweeps.finish(sweepId, emitted.get()))
        .onFailure()
        .call(
            e -> sweeps.fail(sweepId, String.valueOf(e.getMessage())).onFailure().recoverWithNull())
        .replaceWithVoid();
  }

  private Uni<Void> progress(String sweepId, int visited, long emitted) {
    return sweeps.progress(sweepId, visited, emitted);
  }

  /** Waits until the moments so far fit the rate. */
  private Uni<Void> throttle(long startedNanos, long emitted) {
    long dueNanos = emitted * 1_000_000_000L / Math.max(1, maxPerSecond);
    long ahead = dueNanos - (System.nanoTime() - startedNanos);
    return ahead <= 0
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(ahead));
  }
}
