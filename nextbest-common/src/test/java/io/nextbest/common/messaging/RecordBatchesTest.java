package io.nextbest.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {
  private static final String TOPIC = "nextbest.test.v1";

  /** The dead letters sent, as "key|payload|reason". */
  private final List<String> parked = Collections.synchronizedList(new ArrayList<>());

  private final RecordBatches batches =
      new RecordBatches(
          new DeadLetterQueue(null, null) {
            @Override
            public Uni<Void> send(String topic, String key, String payload, String reason) {
              assertThat(topic).isEqualTo(TOPIC);
              parked.add(key + "|" + payload + "|" + reason);
              return Uni.createFrom().voidItem();
            }
          });

  private static RecordBatches.OneByOne<String> oneByOne(
      java.util.function.Function<String, Uni<Void>> work) {
    return new RecordBatches.OneByOne<>(
        work, p -> "k-" + p, p -> p, RecordBatches.Faults.DEFAULT, RecordBatches.CONCURRENCY);
  }

  @Test
  void readingKeepsWhatIsReadInOrderSkipsWhatIsNotOursAndParksWhatCannotBeRead() {
    List<String> read =
        batches
            .readAll(
                TOPIC,
                List.of("a", "skip", "bad", "b"),
                p -> {
                  if (p.equals("bad")) {
                    throw new JsonCodec.PoisonMessageException("unreadable " + p, null);
                  }
                  return p.equals("skip") ? null : p.toUpperCase();
                })
            .await()
            .indefinitely();

    assertThat(read).containsExactly("A", "B");
    assertThat(parked).containsExactly("null|bad|unreadable bad");
  }

  @Test
  void aBatchThatWorksAsAWholeIsNotWorkedAgainOneByOne() {
    AtomicInteger single = new AtomicInteger();
    batches
        .wholeOrEach(
            TOPIC,
            List.of("a", "b"),
            () -> Uni.createFrom().voidItem(),
            oneByOne(p -> Uni.createFrom().voidItem().invoke(single::incrementAndGet)))
        .await()
        .indefinitely();

    assertThat(single).hasValue(0);
    assertThat(parked).isEmpty();
  }

  @Test
  void aFailedBatchIsWorkedOneByOneAndOnlyTheRecordAtFaultIsParked() {
    List<String> done = Collections.synchronizedList(new ArrayList<>());
    batches
        .wholeOrEach(
            TOPIC,
            List.of("a", "bad", "c"),
            () -> Uni.createFrom().failure(new IllegalArgumentException("batch refused")),
            oneByOne(
                p ->
                    p.equals("bad")
                        ? Uni.createFrom().failure(new IllegalArgumentException("no " + p))
                        : Uni.createFrom().voidItem().invoke(() -> done.add(p))))
        .await()
        .indefinitely();

    assertThat(done).containsExactlyInAnyOrder("a", "c");
    assertThat(parked).containsExactly("k-bad|bad|IllegalArgumentException: no bad");
  }

  @Test
  void aFailureOfTheServicesOwnIsRetriedNotParked() {
    AtomicInteger attempts = new AtomicInteger();
    batches
        .each(
            TOPIC,
            List.of("a"),
            oneByOne(
                p ->
                    attempts.incrementAndGet() == 1
                        ? Uni.createFrom().failure(new TimeoutException("slow"))
                        : Uni.createFrom().voidItem()))
        .await()
        .indefinitely();

    assertThat(attempts).hasValue(2);
    assertThat(parked).isEmpty();
  }

  @Test
  void aConsumerCanSayWhichFailuresAreTheRecordsOwnAndWhy() {
    AtomicInteger attempts = new AtomicInteger();
    var faults = new RecordBatches.Faults(f -> f instanceof IllegalStateException, f -> "refused");
    batches
        .each(
            TOPIC,
            List.of("a"),
            new RecordBatches.OneByOne<String>(
                p ->
                    attempts.incrementAndGet() == 1
                        ? Uni.createFrom().failure(new IllegalArgumentException("retried"))
                        : Uni.createFrom().failure(new IllegalStateException("bad value")),
                p -> null,
                p -> p,
                faults,
                1))
        .await()
        .indefinitely();

    assertThat(attempts).hasValue(2);
    assertThat(parked).containsExactly("null|a|refused");
  }

  @Test
  void anEmptyBatchIsNoWork() {
    batches
        .wholeOrEach(
            TOPIC,
            List.<String>of(),
            () -> Uni.createFrom().failure(new IllegalStateException("not called")),
            oneByOne(p -> Uni.createFrom().voidItem()))
        .await()
        .indefinitely();
    assertThat(parked).isEmpty();
  }
}
