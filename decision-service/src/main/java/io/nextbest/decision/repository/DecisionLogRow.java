package io.nextbest.decision.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.nextbest.common.json.IsoInstants;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * A decision as the log stores it: its columns, with the candidates and features kept as the JSON
 * text they were published in. {@link #parse} reads a decision record in one streaming pass: the
 * scalar fields are read, the candidates and features are cut out of the text unparsed, and only
 * the attribution window is looked up inside the features ({@code policy.windowDays}, the {@link
 * io.nextbest.events.DecisionTrace.Explanation#windowDays()} of the published trace).
 *
 * @param windowDays the attribution window recorded with the decision; 7 days when it has none
 * @param rule how it was decided, as the rollups count it ({@link #rule(boolean, String, String,
 *     String, boolean, Map)})
 */
public record DecisionLogRow(
    String id,
    String momentId,
    String customerId,
    String campaignId,
    String channel,
    String placement,
    double propensity,
    String policyVersion,
    boolean control,
    String candidates,
    String features,
    Instant decidedAt,
    int windowDays,
    String rule) {

  static final int DEFAULT_WINDOW_DAYS = 7;
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  /** A record that is not a decision. */
  public static class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  /** Reads a decision record published on the decisions topic. */
  public static DecisionLogRow parse(String json) throws Unreadable {
    String id = null;
    String momentId = null;
    String customerId = null;
    String campaignId = null;
    String channel = null;
    String placement = null;
    double propensity = Double.NaN;
    String policyVersion = null;
    boolean control = false;
    String candidates = "[]";
    String features = "{}";
    Instant at = null;
    Policy policy = new Policy();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Unreadable("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "id" -> id = text(p, t);
          case "momentId" -> momentId = text(p, t);
          case "customerId" -> customerId = text(p, t);
          case "campaignId" -> campaignId = text(p, t);
          case "channel" -> channel = text(p, t);
          case "placement" -> placement = text(p, t);
          case "policyVersion" -> policyVersion = text(p, t);
          case "propensity" -> propensity = t.isNumeric() ? p.getDoubleValue() : Double.NaN;
          case "control" -> control = t == JsonToken.VALUE_TRUE;
          case "occurredAt" -> at = instant(p, t);
          case "candidates" -> {
            if (t == JsonToken.START_ARRAY) {
              candidates = cut(json, p);
            } else if (t != JsonToken.VALUE_NULL) {
              throw new Unreadable("candidates is not an array");
            }
          }
          case "features" -> {
            if (t == JsonToken.START_OBJECT) {
              int start = (int) p.currentTokenLocation().getCharOffset();
              policyIn(p, policy);
              features = json.substring(start, (int) p.currentLocation().getCharOffset());
            } else if (t != JsonToken.VALUE_NULL) {
              throw new Unreadable("features is not an object");
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | DateTimeParseException | ArithmeticException e) {
      throw new Unreadable(e.getMessage());
    }
    if (id == null || customerId == null || at == null || policyVersion == null) {
      throw new Unreadable("a decision needs id, customerId, occurredAt and policyVersion");
    }
    if (Double.isNaN(propensity)) {
      throw new Unreadable("a decision needs a numeric propensity");
    }
    return new DecisionLogRow(
        id,
        momentId,
        customerId,
        campaignId,
        channel,
        placement,
        propensity,
        policyVersion,
        control,
        candidates,
        features,
        at,
        policy.windowDays,
        rule(control, policyVersion, campaignId, policy.rule, policy.explored, policy.priorities));
  }

  /** Rules of the rollups (decision_daily.rule). */
  public static final String MODEL = "model";

  public static final String EXPLORATION = "exploration";
  public static final String MANUAL = "manual";
  public static final String CONTROL = "control";
  public static final String NONE = "none";

  /**
   * How a decision was made, in the four ways a marketer tells apart (and none): {@code control}
   * (held out, by a campaign's control group or the global control), {@code manual} (manual
   * priority, or apprentice mode following the marketer's top rank), {@code exploration} (the live
   * policy's uniform share, or apprentice mode off the top rank or without any order to follow),
   * {@code model} (the live policy's Thompson draw), {@code none} (nothing was eligible). The same
   * rule as the V7 migration's backfill.
   */
  static String rule(
      boolean control,
      String policyVersion,
      String campaignId,
      String policyRule,
      boolean explored,
      Map<String, Integer> priorities) {
    if (control || "global-control".equals(policyVersion)) {
      return CONTROL;
    }
    if (policyRule == null) {
      return MODEL;
    }
    return switch (policyRule) {
      case "manual" -> MANUAL;
      case "none" -> NONE;
      case "apprentice", "learning" -> {
        Integer mine = priorities.get(campaignId == null ? "none" : campaignId);
        int top = priorities.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        yield !explored && mine != null && mine == top ? MANUAL : EXPLORATION;
      }
      default -> explored ? EXPLORATION : MODEL;
    };
  }

  /** What the rollups and the learner read of the features' {@code policy} object. */
  private static final class Policy {
    int windowDays = DEFAULT_WINDOW_DAYS;
    String rule;
    boolean explored;
    final Map<String, Integer> priorities = new HashMap<>();
  }

  private static String text(JsonParser p, JsonToken t) throws IOException, Unreadable {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new Unreadable(p.currentName() + " is not a string");
    }
    return p.getText();
  }

  /** ISO-8601 text, or seconds since the epoch (with a fraction) as Jackson may write them. */
  private static Instant instant(JsonParser p, JsonToken t) throws IOException, Unreadable {
    if (t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      Instant utc = IsoInstants.parseUtc(text);
      return utc != null ? utc : Instant.parse(text);
    }
    if (t.isNumeric()) {
      BigDecimal seconds = p.getDecimalValue();
      return Instant.ofEpochSecond(
          seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }
    throw new Unreadable("occurredAt is not a time");
  }

  /** The text of the array or object the parser stands at the start of; leaves it at its end. */
  private static String cut(String json, JsonParser p) throws IOException {
    int start = (int) p.currentTokenLocation().getCharOffset();
    p.skipChildren();
    return json.substring(start, (int) p.currentLocation().getCharOffset());
  }

  /**
   * Walks the features object (the parser at its start) for policy.windowDays, .rule, .explored and
   * .priorities; ends at its end.
   */
  private static void policyIn(JsonParser p, Policy policy) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if ("policy".equals(field) && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String inner = p.currentName();
          JsonToken v = p.nextToken();
          if ("windowDays".equals(inner) && v.isNumeric()) {
            policy.windowDays = Math.max(0, p.getIntValue());
          } else if ("rule".equals(inner) && v == JsonToken.VALUE_STRING) {
            policy.rule = p.getText();
          } else if ("explored".equals(inner)) {
            policy.explored = v == JsonToken.VALUE_TRUE;
          } else if ("priorities".equals(inner) && v == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String id = p.currentName();
              if (p.nextToken().isNumeric()) {
                policy.priorities.put(id, p.getIntValue());
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }
}
