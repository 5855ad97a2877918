package io.nextbest.content.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.eligibility.EligibilityEngine.Contact;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentSendsTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void aSendNotYetRecordedInRedisCountsOnceAndOnlyUntilItIs() {
    RecentSends recent = new RecentSends();
    Contact mine = new Contact("spring", "web", NOW);
    recent.sent("c-1", mine);

    assertThat(recent.with("c-1", List.of())).containsExactly(mine);
    // eligibility-service recorded it: the same campaign, channel and time, once
    assertThat(recent.with("c-1", List.of(mine))).containsExactly(mine);
    assertThat(recent.with("c-2", List.of())).isEmpty();
  }

  @Test
  void sendsOlderThanAMinuteAreDroppedWithTheNextAndAnErasedCustomerIsForgotten() {
    RecentSends recent = new RecentSends();
    Contact old = new Contact("spring", "web", NOW);
    Contact later = new Contact("summer", "web", NOW.plusSeconds(RecentSends.KEEP_SECONDS + 1));
    recent.sent("c-1", old);
    recent.sent("c-1", later);

    assertThat(recent.with("c-1", List.of())).containsExactly(later);

    recent.forget("c-1");
    assertThat(recent.with("c-1", List.of())).isEmpty();
  }

  @Test
  void atMostTheConfiguredNumberOfCustomersIsHeld() {
    RecentSends recent = new RecentSends();
    for (int i = 0; i <= RecentSends.MAX_CUSTOMERS; i++) {
      recent.sent("c-" + i, new Contact("spring", "web", NOW));
    }

    assertThat(recent.with("c-0", List.of())).isEmpty();
    assertThat(recent.with("c-" + RecentSends.MAX_CUSTOMERS, List.of())).hasSize(1);
  }
}
