package io.nextbest.common.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * How every batch consumer works through a polled batch and sets aside the records at fault: read
 * the batch, parking what cannot be read ({@link #readAll}); work it as a whole, and should that
 * fail, record by record ({@link #wholeOrEach}), each record guarded ({@link #guard}) so a failure
 * of the service's own is retried with back-off and only a failure of the record's own sends it,
 * alone, to {@code <topic>.dlq} through the {@link DeadLetterQueue}. The batch (and so its
 * partitions' offsets) waits for every record's work.
 */
@ApplicationScoped
public class RecordBatches {
  /** Records of one polled batch worked on at once when it is worked record by record. */
  public static final int CONCURRENCY = 8;

  private static final Logger LOG = Logger.getLogger(RecordBatches.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** About an hour of retries at the maximum back-off. */
  private static final long MAX_ATTEMPTS = 720;

  private final DeadLetterQueue deadLetters;

  public RecordBatches(DeadLetterQueue deadLetters) {
    this.deadLetters = deadLetters;
  }

  /**
   * Which failures of one record's work are the record's own, and the reason its dead letter
   * carries. Any other failure is the service's: retried, never dead-lettered.
   *
   * @param recordsOwn whether a failure is the record's own
   * @param reason the dead letter's reason for such a failure
   */
  public record Faults(Predicate<Throwable> recordsOwn, Function<Throwable, String> reason) {
    /**
     * Every failure that is not the service's ({@link DeadLetterQueue#isServiceFault}), with its
     * kind and message as the reason.
     */
    public static final Faults DEFAULT =
        new Faults(f -> !DeadLetterQueue.isServiceFault(f), DeadLetterQueue::reason);
  }

  /**
   * How one record of a batch is worked alone and, if it is at fault, dead-lettered.
   *
   * @param work the record's work
   * @param key the record's key for its dead letter (may answer null)
   * @param payload the record's text for its dead letter
   * @param faults which failures are the record's own
   * @param concurrency records worked on at once
   */
  public record OneByOne<T>(
      Function<T, Uni<Void>> work,
      Function<T, String> key,
      Function<T, String> payload,
      Faults faults,
      int concurrency) {

    /** Kafka records worked {@value #CONCURRENCY} at a time under the {@link Faults#DEFAULT}. */
    public static OneByOne<ConsumerRecord<String, String>> records(
        Function<ConsumerRecord<String, String>, Uni<Void>> work) {
      return new OneByOne<>(
          work, ConsumerRecord::key, ConsumerRecord::value, Faults.DEFAULT, CONCURRENCY);
    }
  }

  /**
   * Sets one record aside on {@code topic.dlq} with its reason, for a consumer that judges its
   * records itself (waits out an outage, as {@link DeadLetterQueue#send} does).
   */
  public Uni<Void> park(String topic, String key, String payload, String reason) {
    return deadLetters.send(topic, key, payload, reason);
  }

  /** A polled batch's records as a list, in their order. */
  public static List<ConsumerRecord<String, String>> list(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    return list;
  }

  /**
   * Reads a polled batch of payloads: what {@code read} returns is kept in order (null: not for
   * this consumer, skipped), what it refuses with a {@link JsonCodec.PoisonMessageException} goes
   * to {@code topic.dlq} with the exception's message as the reason.
   */
  public <T> Uni<List<T>> readAll(String topic, List<String> payloads, Function<String, T> read) {
    return readAll(topic, payloads, Function.identity(), read);
  }

  /**
   * Reads a polled batch of records, like {@link #readAll(String, List, Function)}; {@code payload}
   * is a record's text for its dead letter (which, like every parsed record's, carries no key).
   */
  public <R, T> Uni<List<T>> readAll(
      String topic, List<R> records, Function<R, String> payload, Function<R, T> read) {
    List<T> out = new ArrayList<>(records.size());
    Uni<Void> dead = Uni.createFrom().voidItem();
    for (R r : records) {
      try {
        T value = read.apply(r);
        if (value != null) {
          out.add(value);
        }
      } catch (JsonCodec.PoisonMessageException e) {
        String reason = e.getMessage();
        String text = payload.apply(r);
        dead = dead.chain(() -> deadLetters.send(topic, null, text, reason));
      }
    }
    return dead.replaceWith(out);
  }

  /**
   * Works a polled batch as a whole; should that fail (outages are waited out inside {@code
   * whole}), the items are worked one by one as {@link #each}, so only the one at fault is parked.
   * An empty batch is no work.
   */
  public <T> Uni<Void> wholeOrEach(
      String topic, List<T> items, Supplier<Uni<Void>> whole, OneByOne<T> one) {
    if (items.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom()
        .<Void>deferred(whole::get)
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.debugf("a batch of %s is worked record by record: %s", topic, e.toString());
              return each(topic, items, one);
            });
  }

  /**
   * Works through the items {@code one.concurrency()} at a time, each {@linkplain #guard guarded};
   * completes when all are done.
   */
  public <T> Uni<Void> each(String topic, List<T> items, OneByOne<T> one) {
    if (items.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Multi.createFrom()
        .iterable(items)
        .onItem()
        .transformToUni(
            item ->
                guard(
                        () -> one.work().apply(item),
                        topic,
                        one.key().apply(item),
                        () -> one.payload().apply(item),
                        one.faults())
                    .replaceWith(Boolean.TRUE))
        .merge(one.concurrency())
        .collect()
        .last()
        .replaceWithVoid();
  }

  /**
   * One record's work: a failure that is not the record's own holds the record and retries with
   * back-off (about an hour); a failure of the record's own sends it to {@code topic.dlq} with the
   * reason {@code faults} gives, and the caller goes on.
   */
  public Uni<Void> guard(
      Supplier<Uni<Void>> work, String topic, String key, Supplier<String> payload, Faults faults) {
    return Uni.createFrom()
        .<Void>deferred(work::get)
        .onFailure(f -> !faults.recordsOwn().test(f))
        .retry()
        .withBackOff(FIRST_BACKOFF, MAX_BACKOFF)
        .atMost(MAX_ATTEMPTS)
        .onFailure(faults.recordsOwn())
        .recoverWithUni(f -> deadLetters.send(topic, key, payload.get(), faults.reason().apply(f)));
  }
}
