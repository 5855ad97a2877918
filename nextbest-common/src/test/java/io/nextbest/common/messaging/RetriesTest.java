package io.nextbest.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetriesTest {
  private static final Duration QUICK = Duration.ofMillis(5);

  @Test
  void workThatSucceedsRunsOnce() {
    AtomicInteger attempts = new AtomicInteger();
    Uni<String> work = Uni.createFrom().item(() -> "sent #" + attempts.incrementAndGet());

    assertThat(Retries.whileOutage(work, QUICK).await().indefinitely()).isEqualTo("sent #1");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void anOutageIsWaitedOutUntilTheWorkSucceeds() {
    AtomicInteger attempts = new AtomicInteger();
    Uni<String> work =
        Uni.createFrom()
            .item(
                () -> {
                  if (attempts.incrementAndGet() <= 3) {
                    throw new IllegalStateException("down", new ConnectException("refused"));
                  }
                  return "sent #" + attempts.get();
                });

    assertThat(Retries.whileOutage(work, QUICK).await().atMost(Duration.ofSeconds(5)))
        .isEqualTo("sent #4");
    assertThat(attempts).hasValue(4);
  }

  @Test
  void anotherFailureIsNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    Uni<String> work =
        Uni.createFrom()
            .item(
                () -> {
                  attempts.incrementAndGet();
                  throw new IllegalArgumentException("record too large");
                });

    assertThatThrownBy(() -> Retries.whileOutage(work, QUICK).await().indefinitely())
        .hasMessage("record too large");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aFailureAfterAnOutageEndsTheRetries() {
    AtomicInteger attempts = new AtomicInteger();
    Uni<String> work =
        Uni.createFrom()
            .item(
                () -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("down", new ConnectException("refused"));
                  }
                  throw new IllegalArgumentException("record too large");
                });

    assertThatThrownBy(() -> Retries.whileOutage(work, QUICK).await().atMost(Duration.ofSeconds(5)))
        .hasMessage("record too large");
    assertThat(attempts).hasValue(2);
  }
}
