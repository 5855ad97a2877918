package io.nextbest.profile.messaging;

import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.profile.domain.OutboxMessage;
import io.nextbest.profile.repository.OutboxRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka and deletes them once the broker acknowledged every one. A crash
 * between the acknowledgement and the delete re-sends rows: delivery is at least once, and every
 * consumer dedupes by message id.
 *
 * <p>Writers {@link #kick()} the relay right after their transaction commits; a sweep every second
 * picks up whatever a kick missed (a crash, an outage). One pass runs at a time, so rows of one
 * customer leave in commit order.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  static final int BATCH = 256;

  private final OutboxRepository outbox;
  private final MutinyEmitter<String> emitter;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  public OutboxRelay(
      OutboxRepository outbox,
      @Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
          MutinyEmitter<String> emitter) {
    this.outbox = outbox;
    this.emitter = emitter;
  }

  @Scheduled(
      every = "${nextbest.outbox.sweep-interval:1s}",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> sweep() {
    return kick();
  }

  /** Starts a relay pass in the background (failures are logged and retried by the sweep). */
  public void trigger() {
    kick().subscribe().with(done -> {}, e -> LOG.debugf("outbox kick failed: %s", e.toString()));
  }

  /** Starts a relay pass, or asks the running one to go again; completes when this pass ends. */
  public Uni<Void> kick() {
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return none();
    }
    return drain().eventually(() -> running.set(false));
  }

  private Uni<Void> drain() {
    again.set(false);
    return Panache.withTransaction(() -> outbox.lockOldest(BATCH).chain(this::publish))
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("outbox relay paused, retrying on the next sweep: %s", e.toString());
              return 0;
            })
        .chain(sent -> sent == BATCH || again.get() ? drain() : none());
  }

  private Uni<Integer> publish(List<OutboxMessage> rows) {
    if (rows.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    List<Uni<Void>> sends =
        rows.stream()
            .map(r -> emitter.sendMessage(KeyedMessages.keyed(r.topic, r.messageKey, r.payload)))
            .toList();
    return Uni.join()
        .all(sends)
        .andFailFast()
        .chain(() -> outbox.deleteIds(rows.stream().map(r -> r.id).toList()))
        .replaceWith(rows.size());
  }

  private static Uni<Void> none() {
    return Uni.createFrom().voidItem();
  }
}
