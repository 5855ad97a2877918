package io.nextbest.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.DeadLetterCheck;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every consumer of profile-service sets aside what it cannot process on its topic's .dlq. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class DeadLetterTest {
  @Test
  void theProfileCacheSetsAsideARecordThatIsNotASnapshot() {
    String marker = DeadLetterCheck.marker();
    String reason =
        DeadLetterCheck.sendAndAwait(
            Topics.PROFILES, marker, DeadLetterCheck.unreadable(marker), marker);
    assertThat(reason).startsWith("not a profile snapshot");
  }
}
