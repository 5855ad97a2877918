package io.nextbest.profile.messaging;

import io.nextbest.common.messaging.KeyedMessages;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
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
  static final int BATCH = 2000;

  private final Pool pool;
  private final MutinyEmitter<String> emitter;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  public OutboxRelay(
      Pool pool,
      @Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
          MutinyEmitter<String> emitter) {
    this.pool = pool;
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
    // rows are taken and deleted in one statement; if any send fails the transaction rolls back
    // and they stay for the next pass
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        "delete from outbox where id in (select id from outbox order by id"
                            + " limit $1 for update skip locked)"
                            + " returning id, topic, message_key, payload")
                    .execute(Tuple.of(BATCH))
                    .chain(this::publish))
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("outbox relay paused, retrying on the next sweep: %s", e.toString());
              return 0;
            })
        .chain(sent -> sent == BATCH || again.get() ? drain() : none());
  }

  private record Pending(long id, String topic, String key, String payload) {}

  private Uni<Integer> publish(RowSet<Row> taken) {
    if (taken.size() == 0) {
      return Uni.createFrom().item(0);
    }
    List<Pending> rows = new ArrayList<>(taken.size());
    for (Row r : taken) {
      rows.add(new Pending(r.getLong(0), r.getString(1), r.getString(2), r.getString(3)));
    }
    rows.sort(Comparator.comparingLong(Pending::id)); // commit order, per customer key
    List<Uni<Void>> sends = new ArrayList<>(rows.size());
    for (Pending r : rows) {
      sends.add(emitter.sendMessage(KeyedMessages.keyed(r.topic(), r.key(), r.payload())));
    }
    return Uni.join().all(sends).andFailFast().replaceWith(rows.size());
  }

  private static Uni<Void> none() {
    return Uni.createFrom().voidItem();
  }
}
