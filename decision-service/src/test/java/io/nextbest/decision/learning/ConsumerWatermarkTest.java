package io.nextbest.decision.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.decision.learning.ConsumerWatermark.Progress;
import io.nextbest.decision.learning.ConsumerWatermark.Reading;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerWatermarkTest {
  static final TopicPartition P0 = new TopicPartition("nextbest.events.v1", 0);
  static final TopicPartition P1 = new TopicPartition("nextbest.events.v1", 1);
  static final Instant T = Instant.parse("2026-12-04T12:00:00Z");

  static Reading reading(long c0, long c1, int second, long e0, long e1) {
    return new Reading(Map.of(P0, c0, P1, c1), T.plusSeconds(second), Map.of(P0, e0, P1, e1));
  }

  @Test
  void unknownUntilAReadingIsReachedThenTheLatestReachedMoment() {
    Progress p = new Progress(8);
    assertThat(p.observe(reading(0, 0, 0, 10, 5))).isNull();
    assertThat(p.observe(reading(10, 4, 1, 20, 5))).as("one partition short").isNull();
    // the first reading's ends are reached, the second's not yet
    assertThat(p.observe(reading(12, 5, 2, 30, 9))).isEqualTo(T);
    // both waiting readings reached, the current one too: caught up
    assertThat(p.observe(reading(30, 9, 3, 30, 9))).isEqualTo(T.plusSeconds(3));
    assertThat(p.passed()).isEqualTo(T.plusSeconds(3));
  }

  @Test
  void anIdleChannelIsCaughtUpAtEachReading() {
    Progress p = new Progress(8);
    assertThat(p.observe(reading(7, 7, 0, 7, 7))).isEqualTo(T);
    assertThat(p.observe(reading(7, 7, 5, 7, 7))).isEqualTo(T.plusSeconds(5));
  }

  @Test
  void theMomentNeverMovesBackAndTheQueueStaysBounded() {
    Progress p = new Progress(2);
    assertThat(p.observe(reading(5, 5, 10, 5, 5))).isEqualTo(T.plusSeconds(10));
    // a lagging consumer: readings wait, the newest gives way when the queue is full
    for (int s = 11; s < 20; s++) {
      assertThat(p.observe(reading(5, 5, s, 100 + s, 5))).isEqualTo(T.plusSeconds(10));
    }
    // the oldest waiting reading (second 11) is reached; the newest kept (second 19) is not
    assertThat(p.observe(reading(112, 5, 20, 200, 5))).isEqualTo(T.plusSeconds(11));
    assertThat(p.observe(reading(119, 5, 21, 200, 5))).isEqualTo(T.plusSeconds(19));
  }
}
