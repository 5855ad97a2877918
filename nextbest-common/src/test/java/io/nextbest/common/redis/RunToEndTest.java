package io.nextbest.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunToEndTest {

  @Test
  void aCallerThatStopsWaitingDoesNotCancelTheCall() {
    CompletableFuture<String> reply = new CompletableFuture<>();
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicInteger subscriptions = new AtomicInteger();
    Uni<String> command =
        Uni.createFrom()
            .completionStage(reply)
            .onSubscription()
            .invoke(s -> subscriptions.incrementAndGet())
            .onCancellation()
            .invoke(() -> cancelled.set(true));

    Uni<String> started = RunToEnd.started(command);
    assertThat(subscriptions).hasValue(1); // sent at once, before anyone waits

    assertThatThrownBy(
            () -> started.ifNoItem().after(Duration.ofMillis(20)).fail().await().indefinitely())
        .isInstanceOf(TimeoutException.class);
    assertThat(cancelled).isFalse();

    reply.complete("PONG");
    assertThat(started.await().indefinitely()).isEqualTo("PONG");
    assertThat(subscriptions).hasValue(1); // one command, however many callers
  }

  @Test
  void aFailedCallFailsEveryCaller() {
    Uni<String> started =
        RunToEnd.started(Uni.createFrom().failure(new IllegalStateException("connection reset")));
    assertThatThrownBy(() -> started.await().indefinitely())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connection reset");
  }
}
