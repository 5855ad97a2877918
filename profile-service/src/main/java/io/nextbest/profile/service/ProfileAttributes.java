package io.nextbest.profile.service;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.JsonSize;
import io.nextbest.common.rest.Problem;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The profile attributes a customer may have: email, name, locale (BCP 47), timezone (IANA),
 * birthdate (ISO date), country (ISO 3166 alpha-2) and free-form {@code traits}.
 */
public final class ProfileAttributes {
  static final Set<String> KNOWN =
      Set.of("email", "name", "locale", "timezone", "birthdate", "country", "traits");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]+");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  static final int MAX_TEXT = 500;
  static final int MAX_TRAITS = 100;
  static final int MAX_TRAIT_NAME = 64;
  static final int MAX_TRAITS_CHARS = 16_384;
  static final int MAX_TRAITS_DEPTH = 4;

  private ProfileAttributes() {}

  /** Throws {@link InvalidInputException} listing every field at fault. */
  public static void validate(Map<String, Object> attributes) {
    List<Problem.FieldError> errors = new ArrayList<>();
    attributes.forEach(
        (k, v) -> {
          String field = "attributes." + k;
          if (!KNOWN.contains(k)) {
            errors.add(
                new Problem.FieldError(
                    field,
                    "unknown attribute; use one of "
                        + String.join(", ", KNOWN.stream().sorted().toList())
                        + " (custom values go into traits)"));
            return;
          }
          if (v == null) {
            return; // removal (PATCH)
          }
          String problem = check(k, v);
          if (problem != null) {
            errors.add(new Problem.FieldError(field, problem));
          }
        });
    if (!errors.isEmpty()) {
      throw new InvalidInputException("Some profile attributes are invalid.", errors);
    }
  }

  /**
   * Traits are bounded so that a profile always fits a Kafka record: at most {@value #MAX_TRAITS}
   * names of up to {@value #MAX_TRAIT_NAME} characters, {@value #MAX_TRAITS_CHARS} characters of
   * JSON, {@value #MAX_TRAITS_DEPTH} levels deep.
   */
  private static String traitsProblem(Object v) {
    if (!(v instanceof Map<?, ?> traits)) {
      return "must be a JSON object of custom traits";
    }
    if (traits.size() > MAX_TRAITS) {
      return "must hold at most " + MAX_TRAITS + " traits";
    }
    for (Object name : traits.keySet()) {
      if (String.valueOf(name).length() > MAX_TRAIT_NAME) {
        return "trait names must be at most " + MAX_TRAIT_NAME + " characters";
      }
    }
    return JsonSize.problem(v, MAX_TRAITS_CHARS, MAX_TRAITS_DEPTH);
  }

  private static String check(String key, Object v) {
    if (key.equals("traits")) {
      return traitsProblem(v);
    }
    if (!(v instanceof String s)) {
      return "must be a string";
    }
    if (s.length() > MAX_TEXT) {
      return "must be at most " + MAX_TEXT + " characters";
    }
    return switch (key) {
      case "email" -> EMAIL.matcher(s).matches() ? null : "must be an e-mail address";
      case "locale" -> localeProblem(s);
      case "timezone" -> zoneProblem(s);
      case "birthdate" -> birthdateProblem(s);
      case "country" ->
          COUNTRY.matcher(s).matches() ? null : "must be an ISO 3166 alpha-2 code such as ES";
      default -> null;
    };
  }

  private static String localeProblem(String s) {
    try {
      Locale l = new Locale.Builder().setLanguageTag(s).build();
      return l.getLanguage().isEmpty() ? "must be a BCP 47 language tag such as es-MX" : null;
    } catch (IllformedLocaleException e) {
      return "must be a BCP 47 language tag such as es-MX";
    }
  }

  private static String zoneProblem(String s) {
    try {
      ZoneId.of(s);
      return null;
    } catch (DateTimeException e) {
      return "must be an IANA time zone such as Europe/Madrid";
    }
  }

  private static String birthdateProblem(String s) {
    try {
      LocalDate d = LocalDate.parse(s);
      return d.isAfter(LocalDate.now()) || d.getYear() < 1900
          ? "must be a date between 1900-01-01 and today"
          : null;
    } catch (DateTimeException e) {
      return "must be an ISO date such as 1990-04-23";
    }
  }
}
