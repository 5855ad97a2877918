package io.nextbest.eligibility.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.eligibility.CampaignSet;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.eligibility.config.EdgeConfig;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the campaign set ({@link CampaignSet}: campaigns, settings, do-not-contact list) on the
 * compacted {@code nextbest.campaigns.v1} (key {@value #KEY}), from which content-service evaluates
 * eligibility in-process: within a second of a change made through this replica, and every {@code
 * edge.republish} otherwise. Every publication is read from PostgreSQL at that moment, so a replica
 * that did not see a change never publishes an older catalogue for longer than it takes to read
 * one.
 */
@ApplicationScoped
public class CampaignSetPublisher {
  /** The record key of the campaign set: one per topic, so the latest record is the set. */
  public static final String KEY = "campaigns";

  private static final Logger LOG = Logger.getLogger(CampaignSetPublisher.class);

  private final CampaignCatalog catalog;
  private final JsonCodec json;
  private final EdgeConfig config;
  private final MutinyEmitter<String> sets;
  private final Counter published;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private long publishedChanges = -1;
  private Instant lastPublished = Instant.EPOCH;

  public CampaignSetPublisher(
      CampaignCatalog catalog,
      JsonCodec json,
      EdgeConfig config,
      @Channel("campaign-sets") @OnOverflow(value = OnOverflow.Strategy.DROP)
          MutinyEmitter<String> sets,
      MeterRegistry registry) {
    this.catalog = catalog;
    this.json = json;
    this.config = config;
    this.sets = sets;
    this.published =
        Counter.builder("nextbest.eligibility.campaign.sets.published")
            .description("campaign sets published for edges")
            .register(registry);
  }

  /** A change made through this replica leaves at once. */
  void onChange(@ObservesAsync CampaignCatalog.Changed change) {
    publishWhenChanged();
  }

  /** The republication when nothing changed through this replica. */
  @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void republish() {
    publishWhenChanged();
  }

  /**
   * Reads the set from PostgreSQL and publishes it when a change was made through this replica or
   * it is due again; blocks (serialising a do-not-contact list of up to 100,000 rows), so it runs
   * on worker threads, never on an event loop.
   */
  synchronized void publishWhenChanged() {
    long changes = catalog.changes();
    Instant now = Instant.now();
    if (changes == publishedChanges && now.isBefore(lastPublished.plus(config.republish()))) {
      return;
    }
    try {
      CampaignSet set = catalog.fresh().await().atMost(TIMEOUT).set();
      sets.sendMessage(KeyedMessages.keyed(KEY, json.write(set))).await().atMost(TIMEOUT);
      publishedChanges = changes;
      lastPublished = now;
      published.increment();
    } catch (RuntimeException f) {
      LOG.debugf("campaign set not published: %s", f.toString());
    }
  }
}
