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

    assertThat(recent.with("c-1", List.of(), NOW)).containsExactly(mine);
    // eligibility-service recorded it: the same campaign, channel and time, once
    assertThat(recent.with("c-1", List.of(mine), NOW)).containsExactly(mine);
    assertThat(recent.with("c-2", List.of(), NOW)).isEmpty();
  }

  @Test
  void sendsOlderThanAMinuteAreDroppedWithTheNextAndAnErasedCustomerIsForgotten() {
    RecentSends recent = new RecentSends();
    Contact old = new Contact("spring", "web", NOW);
    Contact later = new Contact("summer", "web", NOW.plusSeconds(RecentSends.KEEP_SECONDS + 1));
    recent.sent("c-1", old);
    recent.sent("c-1", later);

    assertThat(recent.with("c-1", List.of(), later.sentAt())).containsExactly(later);
    // read a minute after the last send, nothing of this replica's counts any more
    assertThat(recent.with("c-1", List.of(), later.sentAt().plusSeconds(61))).isEmpty();

    recent.forget("c-1");
    assertThat(recent.with("c-1", List.of(), NOW)).isEmpty();
  }

  @Test
  void atMostTheLatestSendsOfACustomerAreHeld() {
    RecentSends recent = new RecentSends();
    for (int i = 0; i < RecentSends.MAX_SENDS + 20; i++) {
      recent.sent("c-1", new Contact("spring", "web", NOW.plusMillis(i)));
    }

    List<Contact> held = recent.with("c-1", List.of(), NOW.plusSeconds(1));
    assertThat(held).hasSize(RecentSends.MAX_SENDS);
    assertThat(held.get(0).sentAt()).isEqualTo(NOW.plusMillis(20));
  }

  @Test
  void atMostTheConfiguredNumberOfCustomersIsHeld() {
    RecentSends recent = new RecentSends();
    for (int i = 0; i <= RecentSends.MAX_CUSTOMERS; i++) {
      recent.sent("c-" + i, new Contact("spring", "web", NOW));
    }

    assertThat(recent.with("c-0", List.of(), NOW)).isEmpty();
    assertThat(recent.with("c-" + RecentSends.MAX_CUSTOMERS, List.of(), NOW)).hasSize(1);
  }
}
