package io.nextbest.common.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.rest.Outages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * The one way every consumer sets aside a record it can never process (unreadable, incomplete, of
 * an unknown version): the record goes to its topic's {@code .dlq} with the reason and the origin
 * in headers ({@link DeadLetters}), through the {@value #CHANNEL} channel every service declares,
 * and the rest of its batch goes on ({@link RecordBatches}). Only a record's own fault belongs
 * here: an outage, a timeout or an out-of-memory error is the service's and is retried, never
 * dead-lettered. Every record set aside is counted in {@code nextbest_dead_letters_total}, tagged
 * with the topic it came from.
 */
@ApplicationScoped
public class DeadLetterQueue {
  /** The outgoing channel of dead letters; each message names its own {@code .dlq} topic. */
  public static final String CHANNEL = "dead-letters";

  private static final Logger LOG = Logger.getLogger(DeadLetterQueue.class);

  /** The counter of dead letters, tagged with the record's topic. */
  public static final String METRIC = "nextbest.dead.letters";

  private final MutinyEmitter<String> emitter;
  private final MeterRegistry registry;

  public DeadLetterQueue(@Channel(CHANNEL) MutinyEmitter<String> emitter, MeterRegistry registry) {
    this.emitter = emitter;
    this.registry = registry;
  }

  /**
   * Sends one record of {@code topic} to {@code topic.dlq}, waiting for the broker (an outage is
   * waited out, so the consumer's offsets do not pass a record that is not yet set aside).
   *
   * @param key the record's key, or null
   * @param payload the record as it was read (a tombstone is kept as the text {@code tombstone})
   */
  public Uni<Void> send(String topic, String key, String payload, String reason) {
    LOG.warnf("a record of %s goes to %s.dlq: %s", topic, topic, reason);
    return Retries.whileOutage(
            Uni.createFrom()
                .deferred(
                    () ->
                        emitter.sendMessage(
                            DeadLetters.of(
                                topic, key, payload == null ? "tombstone" : payload, reason))))
        .invoke(() -> counted(registry, topic).increment());
  }

  /** The dead-letter counter of {@code topic} (topics are few and fixed: a low-cardinality tag). */
  static Counter counted(MeterRegistry registry, String topic) {
    return Counter.builder(METRIC)
        .description("records set aside on their topic's .dlq")
        .tag("topic", topic == null ? "unknown" : topic)
        .register(registry);
  }

  /**
   * Whether a failure is the service's own rather than the record's: an outage of a backing
   * service, a timeout, a full heap, a saturated executor or a retriable broker error. A record is
   * never dead-lettered for it.
   */
  public static boolean isServiceFault(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof VirtualMachineError
          || t instanceof TimeoutException
          || t instanceof RejectedExecutionException
          || t instanceof RetriableException) {
        return true;
      }
    }
    return Outages.isOutage(failure);
  }

  /** A dead letter's reason: the failure's kind and message. */
  public static String reason(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
