package io.nextbest.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLetterQueueTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Object> sent = new ArrayList<>();

  /** An emitter whose broker takes every message at once. */
  @SuppressWarnings("unchecked")
  private MutinyEmitter<String> acceptingEmitter() {
    return (MutinyEmitter<String>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MutinyEmitter.class},
            (proxy, method, args) -> {
              if (method.getName().equals("sendMessage")) {
                sent.add(args[0]);
                return Uni.createFrom().voidItem();
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private double deadLetters(String topic) {
    return registry.get(DeadLetterQueue.METRIC).tag("topic", topic).counter().count();
  }

  @Test
  void countsEveryDeadLetterByTheTopicItCameFrom() {
    DeadLetterQueue queue = new DeadLetterQueue(acceptingEmitter(), registry);

    queue.send("nextbest.events.v1", "c-1", "{}", "unreadable").await().indefinitely();
    queue.send("nextbest.events.v1", "c-2", null, "unreadable").await().indefinitely();
    queue.send("nextbest.moments.v1", null, "{}", "unknown version").await().indefinitely();

    assertThat(sent).hasSize(3);
    assertThat(deadLetters("nextbest.events.v1")).isEqualTo(2);
    assertThat(deadLetters("nextbest.moments.v1")).isEqualTo(1);
  }

  @Test
  void theCustomerKeyIsNeverATag() {
    DeadLetterQueue queue = new DeadLetterQueue(acceptingEmitter(), registry);

    queue.send("nextbest.events.v1", "customer-42", "{}", "unreadable").await().indefinitely();

    assertThat(registry.getMeters())
        .allSatisfy(
            m ->
                assertThat(m.getId().getTags())
                    .noneSatisfy(t -> assertThat(t.getValue()).contains("customer-42")));
  }
}
