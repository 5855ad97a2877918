package io.nextbest.console.rest;

import jakarta.ws.rs.BadRequestException;
import java.util.regex.Pattern;

/**
 * The bounds of the console's query parameters: a value out of bounds is a 400 page naming the
 * parameter and what it accepts, never a call to a service with it.
 */
final class QueryBounds {
  /** Customer ids as the services accept them, at most 200 characters. */
  static final int CUSTOMER_ID = 200;

  private static final Pattern PLACEMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}");
  private static final Pattern VARIANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private QueryBounds() {}

  /** Null or blank is absent; otherwise at most {@code max} characters. */
  static String text(String name, String value, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > max) {
      throw new BadRequestException(
          "The parameter '" + name + "' must be at most " + max + " characters.");
    }
    return value.strip();
  }

  static String placement(String value) {
    return matching("placement", value, PLACEMENT, "a placement name such as home-hero");
  }

  static String locale(String value) {
    return matching("locale", value, LOCALE, "a language tag such as es-MX");
  }

  static String variant(String value) {
    return matching("variant", value, VARIANT, "a variant id");
  }

  /** A campaign status to filter by, or "" for all. */
  static String status(String value) {
    if (value == null || value.isBlank()) {
      return "";
    }
    if (!value.matches("active|paused|draft")) {
      throw new BadRequestException("The parameter 'status' must be active, paused or draft.");
    }
    return value;
  }

  /** A row offset from 0 to 1,000,000, 0 when absent. */
  static int offset(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int o = Integer.parseInt(value.strip());
      if (o >= 0 && o <= 1_000_000) {
        return o;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException(
        "The parameter 'offset' must be a whole number from 0 to 1,000,000.");
  }

  /** A whole number of days from 1 to {@code max}, {@code fallback} when absent. */
  static int days(String value, int fallback, int max) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int d = Integer.parseInt(value.strip());
      if (d >= 1 && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException(
        "The parameter 'days' must be a whole number from 1 to " + max + ".");
  }

  private static String matching(String name, String value, Pattern p, String what) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!p.matcher(value.strip()).matches()) {
      throw new BadRequestException("The parameter '" + name + "' must be " + what + ".");
    }
    return value.strip();
  }
}
