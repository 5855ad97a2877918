package io.nextbest.content.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.content.ContentConfig;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Outcomes waiting for the broker stay within {@code nextbest.content.outcomes-in-flight}. */
class OutcomePublisherTest {
  /** One future per message sent, completed when the test says the broker answered. */
  private final List<CompletableFuture<Void>> broker = new ArrayList<>();

  @SuppressWarnings("unchecked")
  private OutcomePublisher publisher(int maxInFlight) {
    MutinyEmitter<String> emitter =
        (MutinyEmitter<String>)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {MutinyEmitter.class},
                (proxy, method, args) -> {
                  if (!method.getName().equals("sendMessage")) {
                    throw new UnsupportedOperationException(method.getName());
                  }
                  CompletableFuture<Void> answer = new CompletableFuture<>();
                  broker.add(answer);
                  return Uni.createFrom().completionStage(answer);
                });
    ContentConfig config =
        (ContentConfig)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ContentConfig.class},
                (proxy, method, args) -> {
                  if (!method.getName().equals("outcomesInFlight")) {
                    throw new UnsupportedOperationException(method.getName());
                  }
                  return maxInFlight;
                });
    return new OutcomePublisher(
        emitter, new JsonCodec(new ObjectMapper().findAndRegisterModules()), config);
  }

  private static Outcome click(int i) {
    return new Outcome("e-" + i, "click", "c-" + i, Instant.now(), "d-" + i, null, null);
  }

  @Test
  void refusesOutcomesBeyondTheBoundUntilTheBrokerAnswers() {
    OutcomePublisher p = publisher(2);
    var first = p.publish(click(1)).subscribe().withSubscriber(UniAssertSubscriber.create());
    var second = p.publish(click(2)).subscribe().withSubscriber(UniAssertSubscriber.create());
    p.publish(click(3))
        .subscribe()
        .withSubscriber(UniAssertSubscriber.create())
        .assertFailedWith(BackingServiceUnavailableException.class);
    assertThat(p.inFlight()).isEqualTo(2);
    assertThat(broker).hasSize(2);

    broker.get(0).complete(null);
    first.assertCompleted();
    broker.get(1).completeExceptionally(new IllegalStateException("broker refused"));
    second.assertFailedWith(BackingServiceUnavailableException.class);
    assertThat(p.inFlight()).isZero();
    p.publish(click(4)).subscribe().withSubscriber(UniAssertSubscriber.create());
    assertThat(p.inFlight()).isEqualTo(1);
  }

  @Test
  void aCallerThatStopsWaitingLeavesTheOutcomeCountedUntilTheBrokerAnswers() {
    OutcomePublisher p = publisher(1);
    p.publish(click(1)).subscribe().withSubscriber(UniAssertSubscriber.create()).cancel();
    assertThat(p.inFlight()).isEqualTo(1);
    p.publish(click(2))
        .subscribe()
        .withSubscriber(UniAssertSubscriber.create())
        .assertFailedWith(BackingServiceUnavailableException.class);
    broker.get(0).complete(null);
    assertThat(p.inFlight()).isZero();
  }

  @Test
  void aPublishNotSubscribedSendsNothing() {
    OutcomePublisher p = publisher(1);
    p.publish(click(1));
    assertThat(broker).isEmpty();
    assertThat(p.inFlight()).isZero();
  }
}
