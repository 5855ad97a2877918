package io.nextbest.content;

import io.nextbest.common.testing.DeadLetterCheck;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every consumer of content-service sets aside what it cannot process on its topic's .dlq. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class DeadLetterTest {
  @Test
  void variantStatisticsSetAsideAnUnreadableOutcome() {
    String marker = DeadLetterCheck.marker();
    DeadLetterCheck.sendAndAwait(
        Topics.OUTCOMES, marker, DeadLetterCheck.unreadable(marker), marker);
  }

  @Test
  void theCoPurchaseGraphSetsAsideAnUnreadablePurchase() {
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
