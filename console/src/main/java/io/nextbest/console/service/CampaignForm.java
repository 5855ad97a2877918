package io.nextbest.console.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.console.client.ServiceRefusedException;
import io.quarkus.qute.TemplateData;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The campaign form: its fields as a person typed them (to show again) and the campaign document
 * eligibility-service takes. Numbers and dates that do not parse are reported here, by field;
 * everything else (ids, CEL rules, ranges) is eligibility-service's to judge.
 */
public final class CampaignForm {
  /** The channels a campaign may use, in the form's order. */
  public static final List<String> CHANNELS = List.of("email", "sms", "push", "web", "in-app");

  static final int MAX_FIELD = 20_000;

  private static final Pattern POSITION =
      Pattern.compile("line (\\d+), column (\\d+): (.*)", Pattern.DOTALL);

  private CampaignForm() {}

  /** A form read: what to show again, what to send, and what did not parse. */
  public record Parsed(Map<String, String> fields, ObjectNode spec, List<Problem> problems) {}

  /**
   * One problem, with the rule's line and a caret under the column when it is a CEL error.
   *
   * @param field the field, e.g. {@code rule}
   * @param message what is wrong
   * @param line the line of the expression, or null
   * @param lineNumber 1-based, or 0
   * @param column 1-based, or 0
   */
  @TemplateData
  public record Problem(String field, String message, String line, int lineNumber, int column) {
    /** Spaces up to the column, so a caret stands under the error. */
    public String pad() {
      return column > 1 ? " ".repeat(Math.min(column - 1, 2000)) : "";
    }

    public boolean positioned() {
      return line != null;
    }
  }

  /** Every field the form shows, so a template never meets a missing one. */
  static final List<String> FIELDS =
      List.of(
          "id",
          "name",
          "description",
          "status",
          "goal",
          "placement",
          "priorityMode",
          "priority",
          "rule",
          "controlPercent",
          "attributionWindowDays",
          "startsAt",
          "endsAt",
          "trigger_type",
          "trigger_eventType",
          "trigger_condition",
          "trigger_segment",
          "trigger_everyMinutes",
          "cap_max",
          "cap_days",
          "follows_campaignId",
          "follows_afterDays",
          "follows_condition");

  /** A channel's check box. */
  @TemplateData
  public record ChannelBox(String name, boolean checked) {}

  /** The fields with an empty value for each one not given. */
  public static Map<String, String> complete(Map<String, String> fields) {
    Map<String, String> f = new LinkedHashMap<>(fields);
    FIELDS.forEach(k -> f.putIfAbsent(k, ""));
    return f;
  }

  /** The channel boxes, checked as in the fields. */
  public static List<ChannelBox> channels(Map<String, String> fields) {
    return CHANNELS.stream().map(c -> new ChannelBox(c, fields.containsKey("ch_" + c))).toList();
  }

  /** The fields a new campaign starts with. */
  public static Map<String, String> blank() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("status", "draft");
    f.put("goal", "conversion");
    f.put("priorityMode", "manual");
    f.put("priority", "10");
    f.put("trigger_type", "realtime");
    f.put("rule", "true");
    f.put("ch_email", "checked");
    return f;
  }

  /** The form's fields for a stored campaign. */
  public static Map<String, String> of(JsonNode c) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String k :
        List.of(
            "id",
            "name",
            "description",
            "status",
            "goal",
            "placement",
            "priorityMode",
            "priority",
            "rule",
            "controlPercent",
            "attributionWindowDays")) {
      if (c.hasNonNull(k)) {
        f.put(k, c.get(k).asText());
      }
    }
    for (String k : List.of("startsAt", "endsAt")) {
      if (c.hasNonNull(k)) {
        String v = c.get(k).asText();
        f.put(k, v.length() >= 16 ? v.substring(0, 16) : v);
      }
    }
    c.path("channels").forEach(ch -> f.put("ch_" + ch.asText(), "checked"));
    JsonNode t = c.path("trigger");
    put(f, "trigger_type", t.path("type"));
    put(f, "trigger_eventType", t.path("eventType"));
    put(f, "trigger_condition", t.path("condition"));
    put(f, "trigger_segment", t.path("segment"));
    put(f, "trigger_everyMinutes", t.path("everyMinutes"));
    put(f, "cap_max", c.path("cap").path("max"));
    put(f, "cap_days", c.path("cap").path("days"));
    put(f, "follows_campaignId", c.path("follows").path("campaignId"));
    put(f, "follows_afterDays", c.path("follows").path("afterDays"));
    put(f, "follows_condition", c.path("follows").path("condition"));
    return f;
  }

  private static void put(Map<String, String> f, String key, JsonNode v) {
    if (!v.isMissingNode() && !v.isNull()) {
      f.put(key, v.asText());
    }
  }

  /** Reads the posted form (first value of each field). */
  public static Parsed read(Map<String, List<String>> form, ObjectMapper json) {
    Map<String, String> f = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    form.forEach(
        (k, v) -> {
          if (!v.isEmpty() && v.get(0) != null && !"csrf".equals(k)) {
            String value = v.get(0);
            if (value.length() > MAX_FIELD) {
              problems.add(new Problem(k, "is longer than 20,000 characters", null, 0, 0));
              value = value.substring(0, MAX_FIELD);
            }
            f.put(k, value);
          }
        });
    ObjectNode spec = json.createObjectNode();
    text(spec, "id", f.get("id"));
    text(spec, "name", f.get("name"));
    text(spec, "description", f.get("description"));
    text(spec, "status", f.get("status"));
    text(spec, "goal", f.get("goal"));
    text(spec, "placement", f.get("placement"));
    text(spec, "priorityMode", f.get("priorityMode"));
    text(spec, "rule", f.get("rule"));
    integer(spec, "priority", f.get("priority"), "priority", problems);
    decimal(spec, "controlPercent", f.get("controlPercent"), problems);
    integer(
        spec,
        "attributionWindowDays",
        f.get("attributionWindowDays"),
        "attributionWindowDays",
        problems);
    instant(spec, "startsAt", f.get("startsAt"), problems);
    instant(spec, "endsAt", f.get("endsAt"), problems);
    ArrayNode channels = spec.putArray("channels");
    for (String ch : CHANNELS) {
      if (f.containsKey("ch_" + ch)) {
        channels.add(ch);
        f.put("ch_" + ch, "checked");
      }
    }
    ObjectNode trigger = json.createObjectNode();
    text(trigger, "type", f.get("trigger_type"));
    text(trigger, "eventType", f.get("trigger_eventType"));
    text(trigger, "condition", f.get("trigger_condition"));
    text(trigger, "segment", f.get("trigger_segment"));
    integer(
        trigger, "everyMinutes", f.get("trigger_everyMinutes"), "trigger.everyMinutes", problems);
    if (!trigger.isEmpty()) {
      spec.set("trigger", trigger);
    }
    ObjectNode cap = json.createObjectNode();
    integer(cap, "max", f.get("cap_max"), "cap.max", problems);
    integer(cap, "days", f.get("cap_days"), "cap.days", problems);
    if (!cap.isEmpty()) {
      spec.set("cap", cap);
    }
    ObjectNode follows = json.createObjectNode();
    text(follows, "campaignId", f.get("follows_campaignId"));
    integer(follows, "afterDays", f.get("follows_afterDays"), "follows.afterDays", problems);
    text(follows, "condition", f.get("follows_condition"));
    if (!follows.isEmpty()) {
      spec.set("follows", follows);
    }
    return new Parsed(f, spec, problems);
  }

  /** The service's refusal as problems, CEL errors placed at their line and column. */
  public static List<Problem> problems(ServiceRefusedException e, Map<String, String> fields) {
    List<Problem> out = new ArrayList<>();
    if (e.errors().isEmpty()) {
      out.add(new Problem("", e.getMessage(), null, 0, 0));
    }
    for (ServiceRefusedException.FieldError fe : e.errors()) {
      out.add(locate(fe.field(), fe.message(), fields));
    }
    return out;
  }

  static Problem locate(String field, String message, Map<String, String> fields) {
    Matcher m = POSITION.matcher(message == null ? "" : message);
    String source = fields.get(field.replace('.', '_'));
    if (m.find() && source != null) {
      int line = Integer.parseInt(m.group(1));
      int column = Integer.parseInt(m.group(2));
      String[] lines = source.split("\r?\n", -1);
      if (line >= 1 && line <= lines.length) {
        return new Problem(field, message, lines[line - 1], line, column);
      }
    }
    return new Problem(field, message, null, 0, 0);
  }

  private static void text(ObjectNode node, String key, String value) {
    if (value != null && !value.isBlank()) {
      node.put(key, value.strip());
    }
  }

  private static void integer(
      ObjectNode node, String key, String value, String field, List<Problem> problems) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      node.put(key, Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      problems.add(new Problem(field, "must be a whole number", null, 0, 0));
    }
  }

  private static void decimal(ObjectNode node, String key, String value, List<Problem> problems) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      double d = Double.parseDouble(value.strip());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      node.put(key, d);
    } catch (NumberFormatException e) {
      problems.add(new Problem(key, "must be a number", null, 0, 0));
    }
  }

  /** A {@code datetime-local} value, read as UTC. */
  private static void instant(ObjectNode node, String key, String value, List<Problem> problems) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      node.put(key, LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC).toString());
    } catch (DateTimeParseException e) {
      problems.add(new Problem(key, "must be a date and time (YYYY-MM-DDTHH:MM, UTC)", null, 0, 0));
    }
  }
}
