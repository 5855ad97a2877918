package io.nextbest.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenTimesTest {
  private final TokenTimes times = new TokenTimes(2_592_000, 60);

  @Test
  void refusesTokensIssuedInTheFutureOrLivingTooLong() {
    long now = 1_800_000_000L;
    assertThat(times.problem(now - 10, now + 3600, now)).isNull();
    assertThat(times.problem(now + 30, now + 3600, now)).isNull(); // within the clock skew
    assertThat(times.problem(now + 3600, now + 7200, now)).contains("issued in the future");
    assertThat(times.problem(now, now + 2_592_001, now)).contains("longer than 2592000 s");
    assertThat(times.problem(0, now + 60, now)).contains("no issue time");
  }
}
