package io.nextbest.decision.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.models.policy.DecisionPolicy.Mode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LearningLagTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final Duration WAIT = Duration.ofDays(7).plusHours(1);

  @Test
  void nothingUnlearnedIsNoLag() {
    assertThat(Learner.lagSeconds(NOW, null, WAIT)).isZero();
  }

  @Test
  void aDecisionWhoseHorizonIsStillOpenIsNoLag() {
    assertThat(Learner.lagSeconds(NOW, NOW.minus(Duration.ofDays(3)), WAIT)).isZero();
  }

  @Test
  void theLagIsTheTimeSinceTheOldestUnlearnedDecisionBecameLearnable() {
    Instant oldest = NOW.minus(WAIT).minus(Duration.ofMinutes(5));

    assertThat(Learner.lagSeconds(NOW, oldest, WAIT)).isEqualTo(300.0);
  }

  @Test
  void theModeGaugeIsOneWhenLiveAndZeroInApprentice() {
    assertThat(ModelStore.modeValue(Mode.LIVE)).isEqualTo(1.0);
    assertThat(ModelStore.modeValue(Mode.APPRENTICE)).isZero();
  }
}
