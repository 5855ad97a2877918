package io.nextbest.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.DeadLetterCheck;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Every consumer of decision-service sets aside what it cannot process on its topic's .dlq (the
 * decision log's own case is in {@link DecisionStreamingTest}).
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class DeadLetterTest {
  @Test
  void momentsSetAsideAnUnreadableMoment() {
    String marker = DeadLetterCheck.marker();
    assertThat(
            DeadLetterCheck.sendAndAwait(
                Topics.ELIGIBILITY, marker, DeadLetterCheck.unreadable(marker), marker))
        .startsWith("unreadable moment");
  }

  @Test
  void outcomesSetAsideAnUnreadableOutcomeAndOneWithoutADecision() {
    String marker = DeadLetterCheck.marker();
    DeadLetterCheck.sendAndAwait(
        Topics.OUTCOMES, marker, DeadLetterCheck.unreadable(marker), marker);
    String orphan = DeadLetterCheck.marker();
    String outcome =
        "{\"id\":\"%s\",\"type\":\"click\",\"customerId\":\"c-%s\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}"
            .formatted(orphan, orphan);
    assertThat(DeadLetterCheck.sendAndAwait(Topics.OUTCOMES, "c-" + orphan, outcome, orphan))
        .startsWith("an outcome needs id, customerId, decisionId");
  }

  @Test
  void purchasesSetAsideAnUnreadablePurchase() {
    String marker = DeadLetterCheck.marker();
    DeadLetterCheck.sendAndAwait(
        Topics.EVENTS, marker, DeadLetterCheck.unreadablePurchase(marker), marker);
  }

  @Test
  void erasureSetsAsideAnUnreadableRequest() {
    String marker = DeadLetterCheck.marker();
    DeadLetterCheck.sendAndAwait(
        Topics.PRIVACY, marker, DeadLetterCheck.unreadable(marker), marker);
  }
}
