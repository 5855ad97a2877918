package io.nextbest.common.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Reads the one instant form the services write ({@code 2026-11-24T02:40:11.123456Z}: four-digit
 * year, seconds, up to nine fraction digits, UTC) without a {@link
 * java.time.format.DateTimeFormatter}, which costs several times more per value on a hot stream.
 * Anything else is left to the caller's general parser.
 */
public final class IsoInstants {
  private IsoInstants() {}

  /** The instant, or null when the text is not exactly in the UTC form above (or not a date). */
  public static Instant parseUtc(CharSequence s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // digits between '.' and 'Z'
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      nanos = digits(s, 20, fraction);
      if (nanos < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    try {
      return LocalDate.of(year, month, day)
          .atTime(LocalTime.of(hour, minute, second, nanos))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal value of {@code length} ASCII digits at {@code from}; −1 if any is not one. */
  private static int digits(CharSequence s, int from, int length) {
    int v = 0;
    for (int i = from; i < from + length; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
