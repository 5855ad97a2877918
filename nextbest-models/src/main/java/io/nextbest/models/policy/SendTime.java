package io.nextbest.models.policy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Send-time optimization: the hour in the next 24 in which the customer has engaged most often,
 * from the engagement-by-hour-of-week histogram (in the customer's own time zone). Without history
 * the message goes now; on a tie the earliest hour wins.
 */
public final class SendTime {
  private SendTime() {}

  public static Instant best(double[] histogram, ZoneId zone, Instant now) {
    if (histogram == null) {
      return now;
    }
    int current = FeatureEncoder.hourOfWeek(now, zone);
    int bestOffset = 0;
    double bestCount = histogram[current];
    for (int offset = 1; offset < 24; offset++) {
      double count = histogram[(current + offset) % 168];
      if (count > bestCount) {
        bestCount = count;
        bestOffset = offset;
      }
    }
    return bestOffset == 0
        ? now
        : now.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(bestOffset).toInstant();
  }
}
