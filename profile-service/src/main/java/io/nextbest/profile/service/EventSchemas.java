package io.nextbest.profile.service;

import io.nextbest.common.rest.JsonSize;
import io.nextbest.profile.features.EventFacts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The typed fields of the known event types. A known type accepts only its own fields (an unknown
 * one is a mistake worth reporting, e.g. "ammount"); any other type is custom and carries a free
 * JSON payload.
 */
final class EventSchemas {
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  static final int MAX_TEXT = 5000;
  static final int MAX_ITEMS = 500;
  static final int MAX_CHARS = 65_536;
  static final int MAX_CUSTOM_CHARS = 32_768;
  static final int MAX_CUSTOM_DEPTH = 6;

  /**
   * Largest purchase amount, in the event's currency: a billion. A lifetime of such purchases still
   * fits the profile's running sum (numeric(16, 2)), so one absurd value is refused on its own
   * instead of failing the batch at the database.
   */
  static final long MAX_AMOUNT = 1_000_000_000L;

  private static final List<String> CHANNELS = EventFacts.CHANNELS;

  /** A field's kind. */
  enum Kind {
    TEXT,
    NUMBER,
    NON_NEGATIVE,
    AMOUNT,
    POSITIVE_INTEGER,
    RATING,
    CURRENCY,
    CHANNEL,
    ITEMS
  }

  record Field(String name, Kind kind, boolean required) {}

  private static Field opt(String name, Kind kind) {
    return new Field(name, kind, false);
  }

  private static Field req(String name, Kind kind) {
    return new Field(name, kind, true);
  }

  /**
   * A return of goods or a refund of money on an earlier order: never a purchase, its amount (what
   * was given back, a positive number) comes off the customer's net monetary value and off the
   * value of the order's day.
   */
  private static final List<Field> RETURN =
      List.of(
          req("orderId", Kind.TEXT),
          req("amount", Kind.AMOUNT),
          opt("currency", Kind.CURRENCY),
          opt("items", Kind.ITEMS),
          opt("reason", Kind.TEXT));

  static final Map<String, List<Field>> KNOWN =
      Map.ofEntries(
          Map.entry("return", RETURN),
          Map.entry("refund", RETURN),
          Map.entry(
              "view",
              List.of(
                  opt("sku", Kind.TEXT),
                  opt("category", Kind.TEXT),
                  opt("url", Kind.TEXT),
                  opt("title", Kind.TEXT),
                  opt("price", Kind.NON_NEGATIVE),
                  opt("placement", Kind.TEXT))),
          Map.entry(
              "search",
              List.of(
                  req("query", Kind.TEXT),
                  opt("results", Kind.NON_NEGATIVE),
                  opt("category", Kind.TEXT))),
          Map.entry(
              "add_to_cart",
              List.of(
                  req("sku", Kind.TEXT),
                  opt("quantity", Kind.POSITIVE_INTEGER),
                  opt("price", Kind.NON_NEGATIVE),
                  opt("category", Kind.TEXT))),
          Map.entry(
              "purchase",
              List.of(
                  opt("orderId", Kind.TEXT),
                  req("amount", Kind.AMOUNT),
                  opt("currency", Kind.CURRENCY),
                  opt("items", Kind.ITEMS),
                  // price sensitivity: a discount amount above 0 or a coupon marks the order
                  opt("discount", Kind.NON_NEGATIVE),
                  opt("coupon", Kind.TEXT))),
          Map.entry(
              "email_open", List.of(opt("campaignId", Kind.TEXT), opt("messageId", Kind.TEXT))),
          Map.entry(
              "push_open", List.of(opt("campaignId", Kind.TEXT), opt("messageId", Kind.TEXT))),
          Map.entry(
              "click",
              List.of(
                  opt("campaignId", Kind.TEXT),
                  opt("decisionId", Kind.TEXT),
                  opt("placement", Kind.TEXT),
                  opt("url", Kind.TEXT),
                  // absent: web when a placement is given, else email
                  opt("channel", Kind.CHANNEL))),
          Map.entry("app_open", List.of(opt("appVersion", Kind.TEXT), opt("platform", Kind.TEXT))),
          Map.entry(
              "review",
              List.of(req("rating", Kind.RATING), opt("text", Kind.TEXT), opt("sku", Kind.TEXT))));

  private static final List<Field> ITEM =
      List.of(
          req("sku", Kind.TEXT),
          opt("name", Kind.TEXT),
          opt("category", Kind.TEXT),
          opt("price", Kind.NON_NEGATIVE),
          opt("quantity", Kind.POSITIVE_INTEGER));

  private EventSchemas() {}

  /** The first problem of a known type's fields as (field, reason); empty when valid. */
  static Optional<String[]> check(String type, Map<String, Object> props) {
    List<Field> fields = KNOWN.get(type);
    String tooLarge = JsonSize.problem(props, MAX_CHARS, MAX_CUSTOM_DEPTH);
    if (tooLarge != null) {
      return problem("properties", tooLarge);
    }
    if (fields == null) {
      // custom type: a free payload, bounded so that the event always fits a Kafka record
      String why = JsonSize.problem(props, MAX_CUSTOM_CHARS, MAX_CUSTOM_DEPTH);
      return why == null ? Optional.empty() : problem("properties", why);
    }
    return checkFields("properties", fields, props, type);
  }

  private static Optional<String[]> checkFields(
      String prefix, List<Field> fields, Map<String, Object> props, String what) {
    Map<String, Object> p = props == null ? Map.of() : props;
    Set<String> allowed = new java.util.HashSet<>();
    for (Field f : fields) {
      allowed.add(f.name());
      Object v = p.get(f.name());
      if (v == null) {
        if (f.required()) {
          return problem(prefix + "." + f.name(), "required for " + what);
        }
        continue;
      }
      String why = kindProblem(f.kind(), v);
      if (why != null) {
        return problem(prefix + "." + f.name(), why);
      }
      if (f.kind() == Kind.ITEMS) {
        List<?> items = (List<?>) v;
        for (int i = 0; i < items.size(); i++) {
          if (!(items.get(i) instanceof Map<?, ?> item)) {
            return problem(prefix + ".items[" + i + "]", "must be an object with sku and price");
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> m = (Map<String, Object>) item;
          var bad = checkFields(prefix + ".items[" + i + "]", ITEM, m, "an item");
          if (bad.isPresent()) {
            return bad;
          }
        }
      }
    }
    for (String name : p.keySet()) {
      if (!allowed.contains(name)) {
        return problem(
            prefix + "." + name,
            "unknown field for "
                + what
                + "; allowed: "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    return Optional.empty();
  }

  private static String kindProblem(Kind kind, Object v) {
    return switch (kind) {
      case TEXT ->
          !(v instanceof String s)
              ? "must be a string"
              : s.length() > MAX_TEXT ? "must be at most " + MAX_TEXT + " characters" : null;
      case NUMBER ->
          v instanceof Number n && Double.isFinite(n.doubleValue()) ? null : "must be a number";
      case NON_NEGATIVE ->
          !(v instanceof Number n) || !Double.isFinite(n.doubleValue())
              ? "must be a number"
              : n.doubleValue() < 0 ? "must not be negative" : null;
      case AMOUNT ->
          !(v instanceof Number n) || !Double.isFinite(n.doubleValue())
              ? "must be a number"
              : n.doubleValue() < 0 || n.doubleValue() > MAX_AMOUNT
                  ? "must be from 0 to " + MAX_AMOUNT
                  : null;
      case POSITIVE_INTEGER ->
          v instanceof Number n
                  && n.doubleValue() >= 1
                  && n.doubleValue() == Math.rint(n.doubleValue())
                  && n.doubleValue() <= 1_000_000
              ? null
              : "must be a whole number from 1 to 1000000";
      case RATING ->
          v instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() <= 5
              ? null
              : "must be a number from 1 to 5";
      case CURRENCY ->
          v instanceof String s && CURRENCY.matcher(s).matches()
              ? null
              : "must be an ISO 4217 code such as EUR";
      case CHANNEL ->
          v instanceof String s && CHANNELS.contains(s)
              ? null
              : "must be one of " + String.join(", ", CHANNELS);
      case ITEMS ->
          !(v instanceof List<?> l)
              ? "must be an array of items"
              : l.size() > MAX_ITEMS ? "must hold at most " + MAX_ITEMS + " items" : null;
    };
  }

  private static Optional<String[]> problem(String field, String reason) {
    return Optional.of(new String[] {field, reason});
  }
}
