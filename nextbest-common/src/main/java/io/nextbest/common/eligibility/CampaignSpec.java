package io.nextbest.common.eligibility;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.nextbest.common.rest.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A campaign as written by its owner and stored as JSON.
 *
 * @param id lower-case id ({@code [a-z0-9][a-z0-9-]{0,63}})
 * @param name display name
 * @param description free text
 * @param status active, paused or draft; only active campaigns are offered
 * @param goal the KPI it is judged on: conversion, revenue or visits
 * @param channels channels in order of preference: email, sms, push, web, in-app
 * @param placement the web or in-app placement it fills, if any
 * @param startsAt start of its window, or null
 * @param endsAt end of its window (exclusive), or null
 * @param priorityMode manual (a priority number, allocated first) or auto (decision-service
 *     arbitrates by expected incremental value)
 * @param priority manual priority, higher first
 * @param trigger what starts a moment for it
 * @param rule CEL eligibility rule over profile, event and context
 * @param controlPercent share of eligible customers held out of this campaign, 0–100
 * @param attributionWindowDays days after a send in which outcomes count for it
 * @param cap at most {@code max} sends of this campaign per customer in {@code days}
 * @param follows journey link: only after another campaign was sent, and a condition holds
 * @param attributes what the offer is (category, discount, tags), so decisioning can pool what it
 *     learnt across similar campaigns; null when not described
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignSpec(
    String id,
    String name,
    String description,
    String status,
    String goal,
    List<String> channels,
    String placement,
    Instant startsAt,
    Instant endsAt,
    String priorityMode,
    Integer priority,
    Trigger trigger,
    String rule,
    Double controlPercent,
    Integer attributionWindowDays,
    Cap cap,
    JourneyLink follows,
    Attributes attributes) {

  public static final List<String> CHANNELS = values("email", "sms", "push", "web", "in-app");
  public static final List<String> STATUSES = values("active", "paused", "draft");
  public static final List<String> GOALS = values("conversion", "revenue", "visits");

  /** Allowed values; contains(null) is false rather than a NullPointerException. */
  static List<String> values(String... values) {
    return Collections.unmodifiableList(Arrays.asList(values));
  }

  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern PLACEMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** Attribute category and tags: labels shared by many campaigns. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private static final String LABEL_RULE =
      "1–64 lower-case letters, digits or '-', starting with a letter or digit";

  /**
   * What starts a moment for the campaign.
   *
   * @param type event (an event of {@code eventType} for which {@code condition} holds), schedule
   *     (a sweep over {@code segment} every {@code everyMinutes}) or realtime (placement requests
   *     and profile changes)
   * @param eventType event type for event triggers, e.g. purchase, segment_entered
   * @param condition CEL condition over the event (and profile, context), default true
   * @param segment the segment a schedule sweeps; null sweeps every customer
   * @param everyMinutes minutes between sweeps
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trigger(
      String type, String eventType, String condition, String segment, Integer everyMinutes) {
    public static final List<String> TYPES = values("event", "schedule", "realtime");
  }

  /**
   * A frequency cap.
   *
   * @param max most sends in the window
   * @param days window length in days
   */
  public record Cap(Integer max, Integer days) {}

  /**
   * Campaign B may follow A.
   *
   * @param campaignId the campaign that must have been sent first
   * @param afterDays days to wait after that send
   * @param condition CEL condition that must also hold, default true
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JourneyLink(String campaignId, Integer afterDays, String condition) {}

  /**
   * What a campaign offers, in terms shared across campaigns: decision-service pools the statistics
   * of campaigns alike in these, so a new campaign starts from similar ones.
   *
   * @param category lower-case label ({@code [a-z0-9][a-z0-9-]{0,63}}), e.g. shoes
   * @param discountDepth percent off, 0–100
   * @param tags up to {@link #MAX_TAGS} distinct labels like the category, e.g. promo, spring
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attributes(String category, Double discountDepth, List<String> tags) {
    public static final int MAX_TAGS = 10;

    boolean empty() {
      return category == null && discountDepth == null && tags == null;
    }
  }

  /**
   * A campaign without attributes, as written before campaigns carried them (kept for callers
   * outside this module, e.g. the CEL benchmark in bench/jmh).
   */
  public CampaignSpec(
      String id,
      String name,
      String description,
      String status,
      String goal,
      List<String> channels,
      String placement,
      Instant startsAt,
      Instant endsAt,
      String priorityMode,
      Integer priority,
      Trigger trigger,
      String rule,
      Double controlPercent,
      Integer attributionWindowDays,
      Cap cap,
      JourneyLink follows) {
    this(
        id,
        name,
        description,
        status,
        goal,
        channels,
        placement,
        startsAt,
        endsAt,
        priorityMode,
        priority,
        trigger,
        rule,
        controlPercent,
        attributionWindowDays,
        cap,
        follows,
        null);
  }

  public boolean manual() {
    return !"auto".equals(priorityMode);
  }

  public boolean active() {
    return "active".equals(status);
  }

  public boolean runsAt(Instant t) {
    return (startsAt == null || !t.isBefore(startsAt)) && (endsAt == null || t.isBefore(endsAt));
  }

  public String triggerType() {
    return trigger == null ? "realtime" : trigger.type();
  }

  /** The spec with defaults filled in and the id taken from the path (when given). */
  public CampaignSpec normalized(String pathId) {
    String mode = priorityMode == null ? (priority == null ? "auto" : "manual") : priorityMode;
    return new CampaignSpec(
        pathId != null ? pathId : id,
        name == null ? null : name.strip(),
        description,
        status == null ? "active" : status,
        goal == null ? "conversion" : goal,
        channels,
        placement,
        startsAt,
        endsAt,
        mode,
        "auto".equals(mode) ? null : priority,
        trigger == null ? new Trigger("realtime", null, null, null, null) : trigger,
        rule == null || rule.isBlank() ? "true" : rule,
        controlPercent == null ? 0.0 : controlPercent,
        attributionWindowDays == null ? 7 : attributionWindowDays,
        cap,
        follows,
        attributes == null || attributes.empty() ? null : attributes);
  }

  /**
   * Everything wrong with a normalized spec except its CEL expressions (checked when compiled), as
   * field errors; empty when valid.
   */
  public List<Problem.FieldError> problems() {
    List<Problem.FieldError> out = new ArrayList<>();
    if (id == null || !ID.matcher(id).matches()) {
      out.add(err("id", "1–64 lower-case letters, digits or '-', starting with a letter or digit"));
    }
    if (name == null || name.isEmpty() || name.length() > 200) {
      out.add(err("name", "is required, at most 200 characters"));
    }
    if (!STATUSES.contains(status)) {
      out.add(err("status", "must be one of " + STATUSES));
    }
    if (!GOALS.contains(goal)) {
      out.add(err("goal", "must be one of " + GOALS));
    }
    if (channels == null || channels.isEmpty()) {
      out.add(err("channels", "at least one of " + CHANNELS));
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < channels.size(); i++) {
        String c = channels.get(i);
        if (!CHANNELS.contains(c)) {
          out.add(
              err("channels[" + i + "]", "unknown channel '" + c + "': use one of " + CHANNELS));
        } else if (!seen.add(c)) {
          out.add(err("channels[" + i + "]", "'" + c + "' is listed twice"));
        }
      }
      boolean onSite = channels.contains("web") || channels.contains("in-app");
      if (onSite && placement == null) {
        out.add(err("placement", "is required for web and in-app campaigns"));
      }
    }
    if (placement != null && !PLACEMENT.matcher(placement).matches()) {
      out.add(err("placement", "1–64 lower-case letters, digits or '-'"));
    }
    if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
      out.add(err("endsAt", "must be after startsAt"));
    }
    if (!"manual".equals(priorityMode) && !"auto".equals(priorityMode)) {
      out.add(err("priorityMode", "must be manual or auto"));
    } else if ("manual".equals(priorityMode)
        && (priority == null || priority < 0 || priority > 1000)) {
      out.add(err("priority", "a manual campaign needs a priority from 0 to 1000"));
    }
    if (!Trigger.TYPES.contains(trigger.type())) {
      out.add(err("trigger.type", "must be one of " + Trigger.TYPES));
    } else if ("event".equals(trigger.type())
        && (trigger.eventType() == null || !EVENT_TYPE.matcher(trigger.eventType()).matches())) {
      out.add(err("trigger.eventType", "an event trigger needs an event type, e.g. purchase"));
    } else if ("schedule".equals(trigger.type())
        && (trigger.everyMinutes() == null
            || trigger.everyMinutes() < 5
            || trigger.everyMinutes() > 525_600)) {
      out.add(err("trigger.everyMinutes", "a schedule runs every 5 to 525,600 minutes"));
    }
    if (trigger.segment() != null && !ID.matcher(trigger.segment()).matches()) {
      out.add(err("trigger.segment", "not a segment id"));
    }
    if (controlPercent.isNaN() || controlPercent < 0 || controlPercent > 100) {
      out.add(err("controlPercent", "must be from 0 to 100"));
    }
    if (attributionWindowDays < 1 || attributionWindowDays > 365) {
      out.add(err("attributionWindowDays", "must be from 1 to 365"));
    }
    if (cap != null) {
      if (cap.max() == null || cap.max() < 1) {
        out.add(err("cap.max", "at least 1"));
      }
      if (cap.days() == null || cap.days() < 1 || cap.days() > 365) {
        out.add(err("cap.days", "from 1 to 365"));
      }
    }
    if (follows != null) {
      if (follows.campaignId() == null || !ID.matcher(follows.campaignId()).matches()) {
        out.add(err("follows.campaignId", "the id of the campaign this one follows"));
      } else if (follows.campaignId().equals(id)) {
        out.add(err("follows.campaignId", "a campaign cannot follow itself"));
      }
      if (follows.afterDays() == null || follows.afterDays() < 0 || follows.afterDays() > 365) {
        out.add(err("follows.afterDays", "from 0 to 365"));
      }
    }
    if (attributes != null) {
      attributeProblems(out);
    }
    return out;
  }

  private void attributeProblems(List<Problem.FieldError> out) {
    String category = attributes.category();
    if (category != null && !LABEL.matcher(category).matches()) {
      out.add(err("attributes.category", LABEL_RULE));
    }
    Double depth = attributes.discountDepth();
    if (depth != null && (!Double.isFinite(depth) || depth < 0 || depth > 100)) {
      out.add(err("attributes.discountDepth", "percent off, from 0 to 100"));
    }
    List<String> tags = attributes.tags();
    if (tags == null) {
      return;
    }
    if (tags.size() > Attributes.MAX_TAGS) {
      // one error, not one per tag of an oversized list
      out.add(err("attributes.tags", "at most " + Attributes.MAX_TAGS + " tags"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      if (tag == null || !LABEL.matcher(tag).matches()) {
        out.add(err("attributes.tags[" + i + "]", LABEL_RULE));
      } else if (!seen.add(tag)) {
        out.add(err("attributes.tags[" + i + "]", "'" + tag + "' is listed twice"));
      }
    }
  }

  private static Problem.FieldError err(String field, String message) {
    return new Problem.FieldError(field, message);
  }
}
