package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SendTimeTest {

  @Test
  void sendsAtTheCustomersBusiestHourInTheNextDay() {
    double[] h = new double[168];
    // Tuesday 19h in Madrid is this customer's hour (Monday 00h = 0)
    h[24 + 19] = 12;
    h[24 + 8] = 3;
    Instant mondayNoonMadrid = Instant.parse("2026-06-01T10:00:00Z"); // 12:00 CEST, a Monday
    Instant at = SendTime.best(h, ZoneId.of("Europe/Madrid"), mondayNoonMadrid);
    // Tuesday 19:00 is more than 24 h away: the best hour within the day is Tuesday 08:00
    assertThat(at).isEqualTo(Instant.parse("2026-06-02T06:00:00Z"));
  }

  @Test
  void sendsNowWhenThisHourIsBestOrThereIsNoHistory() {
    Instant now = Instant.parse("2026-06-01T10:17:00Z");
    double[] h = new double[168];
    h[10] = 5;
    assertThat(SendTime.best(h, ZoneId.of("UTC"), now)).isEqualTo(now);
    assertThat(SendTime.best(null, ZoneId.of("UTC"), now)).isEqualTo(now);
  }
}
