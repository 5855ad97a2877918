package io.nextbest.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ProfileCacheConsumerTest {
  private static final String PREFIX = "nextbest:profile:";

  @Inject RedisDataSource redis;

  static String snapshot(String customerId, long version, String country) {
    return ("{\"id\":\"%s:%d\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
            + "\"occurredAt\":\"2026-11-01T10:00:00Z\",\"version\":%d,"
            + "\"attributes\":{\"country\":\"%s\",\"version\":99},\"features\":{},"
            + "\"predictions\":{},\"consents\":{},\"segments\":[]}")
        .formatted(customerId, version, customerId, version, country);
  }

  @Test
  void aPolledRunOfSnapshotsKeepsTheNewestVersionsAndTombstonesAndBrokenRecordsEvict()
      throws InterruptedException {
    String run = UUID.randomUUID().toString();
    String newest = "rc-newest-" + run;
    String erased = "rc-erased-" + run;
    String broken = "rc-broken-" + run;
    var values = redis.value(String.class);
    values.set(PREFIX + erased, snapshot(erased, 1, "GB"));
    values.set(PREFIX + broken, snapshot(broken, 1, "GB"));

    KafkaTopics.sendAll(
        Topics.PROFILES,
        List.<Map.Entry<String, String>>of(
            new SimpleEntry<>(newest, snapshot(newest, 5, "FR")),
            // a late copy of an older version must not replace the newer one
            new SimpleEntry<>(newest, snapshot(newest, 3, "DE")),
            new SimpleEntry<>(erased, snapshot(erased, 2, "ES")),
            new SimpleEntry<>(erased, null),
            new SimpleEntry<>(broken, "{\"not\":\"a snapshot\"}")));

    String cached = null;
    for (int i = 0; i < 200; i++) {
      cached = values.get(PREFIX + newest);
      if (cached != null
          && !redis.key().exists(PREFIX + erased)
          && !redis.key().exists(PREFIX + broken)) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(cached).as("the newest snapshot is cached").isEqualTo(snapshot(newest, 5, "FR"));
    assertThat(redis.key().exists(PREFIX + erased)).as("the tombstone came last").isFalse();
    assertThat(redis.key().exists(PREFIX + broken)).as("a broken record evicts").isFalse();

    // and a newer version, arriving later, replaces it
    KafkaTopics.send(Topics.PROFILES, newest, snapshot(newest, 6, "IT"));
    for (int i = 0; i < 200 && !snapshot(newest, 6, "IT").equals(cached); i++) {
      Thread.sleep(100);
      cached = values.get(PREFIX + newest);
    }
    assertThat(cached).isEqualTo(snapshot(newest, 6, "IT"));
  }
}
