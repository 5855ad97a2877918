package io.nextbest.common.eligibility;

import io.nextbest.common.rest.Problem;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules that hold for every campaign.
 *
 * @param controlGroupPercent share of all customers held out of every campaign, 0–50
 * @param controlGroupSalt salt of the hash that assigns the global control group; changing it
 *     reshuffles the group
 * @param exclusionSegment customers in this segment receive nothing (null: none)
 * @param defaultTimezone time zone for customers without one
 * @param quietHours per channel, the local hours in which nothing is sent ("21:00" to "08:00")
 * @param channelCaps at most {@code max} sends per channel in {@code days}
 */
public record EligibilitySettings(
    Double controlGroupPercent,
    String controlGroupSalt,
    String exclusionSegment,
    String defaultTimezone,
    Map<String, QuietHours> quietHours,
    List<ChannelCap> channelCaps) {

  /**
   * Local hours without sends, wrapping midnight when {@code from} is after {@code to}.
   *
   * @param from first quiet minute, HH:mm
   * @param to first minute sends resume, HH:mm
   */
  public record QuietHours(String from, String to) {}

  /**
   * A frequency cap over all campaigns of a channel.
   *
   * @param channel the channel
   * @param max most sends in the window
   * @param days window length in days
   */
  public record ChannelCap(String channel, Integer max, Integer days) {}

  public Map<String, QuietHours> quietHoursOrEmpty() {
    return quietHours == null ? Map.of() : quietHours;
  }

  public List<ChannelCap> channelCapsOrEmpty() {
    return channelCaps == null ? List.of() : channelCaps;
  }

  /** Everything wrong with these settings, as field errors; empty when valid. */
  public List<Problem.FieldError> problems() {
    List<Problem.FieldError> out = new ArrayList<>();
    if (controlGroupPercent == null
        || controlGroupPercent.isNaN()
        || controlGroupPercent < 0
        || controlGroupPercent > 50) {
      out.add(err("controlGroupPercent", "must be from 0 to 50"));
    }
    if (controlGroupSalt == null || controlGroupSalt.isBlank() || controlGroupSalt.length() > 100) {
      out.add(err("controlGroupSalt", "is required, at most 100 characters"));
    }
    if (exclusionSegment != null && !CampaignSpec.ID.matcher(exclusionSegment).matches()) {
      out.add(err("exclusionSegment", "not a segment id"));
    }
    try {
      ZoneId.of(defaultTimezone == null ? "" : defaultTimezone);
    } catch (DateTimeException e) {
      out.add(err("defaultTimezone", "not an IANA time zone, e.g. Europe/Madrid"));
    }
    quietHoursOrEmpty()
        .forEach(
            (channel, q) -> {
              if (!CampaignSpec.CHANNELS.contains(channel)) {
                out.add(err("quietHours." + channel, "unknown channel"));
              } else if (q == null || !isTime(q.from()) || !isTime(q.to())) {
                out.add(err("quietHours." + channel, "needs from and to as HH:mm"));
              }
            });
    Set<String> capped = new HashSet<>();
    List<ChannelCap> caps = channelCapsOrEmpty();
    for (int i = 0; i < caps.size(); i++) {
      ChannelCap c = caps.get(i);
      String at = "channelCaps[" + i + "]";
      if (c == null || !CampaignSpec.CHANNELS.contains(c.channel())) {
        out.add(err(at + ".channel", "unknown channel: use one of " + CampaignSpec.CHANNELS));
        continue;
      }
      if (!capped.add(c.channel())) {
        out.add(err(at + ".channel", "'" + c.channel() + "' is capped twice"));
      }
      if (c.max() == null || c.max() < 1) {
        out.add(err(at + ".max", "at least 1"));
      }
      if (c.days() == null || c.days() < 1 || c.days() > 365) {
        out.add(err(at + ".days", "from 1 to 365"));
      }
    }
    return out;
  }

  private static boolean isTime(String s) {
    try {
      LocalTime.parse(s == null ? "" : s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Problem.FieldError err(String field, String message) {
    return new Problem.FieldError(field, message);
  }
}
