package io.nextbest.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.DeadLetterCheck;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every consumer of eligibility-service sets aside what it cannot process on its topic's .dlq. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class DeadLetterTest {
  @Test
  void theProfileStreamSetsAsideAnUnreadableSnapshot() {
    String marker = DeadLetterCheck.marker();
    assertThat(
            DeadLetterCheck.sendAndAwait(
                Topics.PROFILES, marker, DeadLetterCheck.unreadable(marker), marker))
        .contains("PoisonMessageException");
  }

  @Test
  void theEventStreamSetsAsideAnUnreadableEvent() {
    String marker = DeadLetterCheck.marker();
    assertThat(
            DeadLetterCheck.sendAndAwait(
                Topics.EVENTS, marker, DeadLetterCheck.unreadable(marker), marker))
        .contains("PoisonMessageException");
  }

  @Test
  void theContactHistorySetsAsideAnUnreadableDecision() {
    String marker = DeadLetterCheck.marker();
    assertThat(
            DeadLetterCheck.sendAndAwait(
                Topics.DECISIONS, marker, DeadLetterCheck.unreadable(marker), marker))
        .contains("PoisonMessageException");
  }
}
