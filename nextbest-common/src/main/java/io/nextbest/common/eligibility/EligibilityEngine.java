package io.nextbest.common.eligibility;

import io.nextbest.common.eligibility.EligibilityResult.Exclusion;
import io.nextbest.common.eligibility.EligibilityResult.Why;
import io.nextbest.common.rules.ProfileRules;
import io.nextbest.events.ExclusionCode;
import io.nextbest.events.ProfileSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Decides which campaigns a customer may receive at a moment, and why each other one is excluded.
 * Plain Java over an immutable {@link Rules} snapshot: the Quarkus beans only feed it campaigns,
 * the profile and the customer's contact history.
 */
public final class EligibilityEngine {
  private EligibilityEngine() {}

  /** What started the evaluation, which decides the campaigns considered. */
  public enum Mode {
    /** A frontend or API asks now: realtime and schedule campaigns, filtered by placement. */
    REALTIME,
    /** A profile changed: realtime campaigns, so placement decisions stay fresh. */
    PROFILE,
    /** An event arrived: event campaigns triggered by its type whose condition holds. */
    EVENT,
    /** A scheduled sweep of one campaign. */
    SWEEP
  }

  /** Results of a customer's profile-only rules kept between evaluations of one snapshot. */
  public interface Memo {
    /** The campaign's rule (at its position in the rules) over {@code vars}. */
    boolean rule(int position, CompiledCampaign campaign, Map<String, Object> vars);
  }

  /** Campaigns and settings, compiled, as of one catalogue load. */
  public record Rules(List<CompiledCampaign> campaigns, EligibilitySettings settings) {}

  /**
   * One evaluation.
   *
   * @param customerId the customer
   * @param profile the latest snapshot, or null when unknown
   * @param event the triggering event as a document (type, occurredAt, properties), or null
   * @param placement only campaigns for this placement, or null
   * @param channel only this channel, or null
   * @param now the moment's time
   * @param mode what started it
   * @param campaignId for {@link Mode#SWEEP}, the campaign swept
   */
  public record Request(
      String customerId,
      ProfileSnapshot profile,
      Map<String, Object> event,
      String placement,
      String channel,
      Instant now,
      Mode mode,
      String campaignId) {}

  /**
   * A send counted by the frequency caps.
   *
   * @param campaignId campaign sent
   * @param channel channel used
   * @param sentAt when
   */
  public record Contact(String campaignId, String channel, Instant sentAt) {}

  /**
   * What is known about the customer besides the profile.
   *
   * @param contacts sends, newest or oldest first
   * @param doNotContact channels the customer must not be contacted on ("*" for all)
   */
  public record Facts(List<Contact> contacts, Set<String> doNotContact) {
    public static final Facts NONE = new Facts(List.of(), Set.of());
  }

  private static final Comparator<EligibilityResult.Eligible> ORDER =
      Comparator.comparing((EligibilityResult.Eligible e) -> e.priority() == null)
          .thenComparing(e -> e.priority() == null ? 0 : -e.priority(), Comparator.naturalOrder())
          .thenComparing(EligibilityResult.Eligible::id);

  public static EligibilityResult evaluate(Rules rules, Request request, Facts facts) {
    return evaluate(rules, request, facts, null);
  }

  /**
   * Evaluates with {@code memo} (may be null) holding the results of profile-only rules already
   * computed for this customer's snapshot.
   */
  public static EligibilityResult evaluate(Rules rules, Request request, Facts facts, Memo memo) {
    EligibilitySettings settings = rules.settings();
    List<EligibilityResult.Eligible> eligible = new ArrayList<>();
    List<EligibilityResult.Exclusion> excluded = new ArrayList<>();
    boolean globalControl =
        inGroup(settings.controlGroupSalt(), request.customerId(), settings.controlGroupPercent());
    Map<String, Object> vars = null;
    // a channel's exclusion (do-not-contact, consent, quiet hours, channel caps) is the same for
    // every campaign of this moment: worked out once per channel (OPEN when the channel is open)
    Map<String, Why> channelReasons = new HashMap<>(8);
    int position = -1;
    for (CompiledCampaign c : rules.campaigns()) {
      position++;
      CampaignSpec spec = c.spec();
      if (!considered(spec, request)) {
        continue;
      }
      if (vars == null) {
        vars = variables(request, settings);
      }
      if (request.mode() == Mode.EVENT
          && c.triggerCondition() != null
          && !c.triggerCondition().test(vars)) {
        continue; // not this campaign's moment
      }
      Map<String, Object> v = vars;
      int at = position;
      BooleanSupplier ruleHolds = memo == null ? () -> c.rule().test(v) : () -> memo.rule(at, c, v);
      Why reason = campaignExclusion(c, request, facts, settings, globalControl, vars, ruleHolds);
      String channel = null;
      if (reason == null) {
        List<Why> closed = null;
        for (String ch : spec.channels()) {
          if (request.channel() != null && !request.channel().equals(ch)) {
            continue;
          }
          Why why =
              channelReasons.computeIfAbsent(
                  ch,
                  k ->
                      Objects.requireNonNullElse(
                          channelExclusion(k, request, facts, settings), OPEN));
          if (why == OPEN) {
            channel = ch;
            break;
          }
          if (closed == null) {
            closed = new ArrayList<>(spec.channels().size());
          }
          closed.add(why);
        }
        if (channel == null) {
          reason = closedChannels(closed);
        }
      }
      if (reason == null && globalControl) {
        // held out last, so the moment is known to be one the customer would have had
        reason = globalControlReason(settings);
      }
      if (reason != null) {
        excluded.add(new Exclusion(spec.id(), reason));
      } else {
        boolean control = inGroup(spec.id(), request.customerId(), spec.controlPercent());
        eligible.add(
            new EligibilityResult.Eligible(
                spec.id(),
                spec.name(),
                spec.priorityMode(),
                spec.priority(),
                channel,
                spec.placement(),
                spec.goal(),
                control,
                spec.attributes()));
      }
    }
    eligible.sort(ORDER);
    return new EligibilityResult(
        request.customerId(),
        request.profile() == null ? 0 : request.profile().version(),
        globalControl,
        eligible,
        excluded);
  }

  /**
   * Exclusion reason of a campaign the customer would have been eligible for but for the global
   * control group.
   */
  public static Why globalControlReason(EligibilitySettings settings) {
    return new Why(
        ExclusionCode.GLOBAL_CONTROL,
        "global control group (" + percent(settings.controlGroupPercent()) + " held out)");
  }

  /** A channel with nothing against it (a cache entry, never an exclusion). */
  private static final Why OPEN = new Why(ExclusionCode.NO_CHANNEL, "");

  /**
   * The reason when no channel of a campaign is open: the channels' reasons in words, under their
   * common code, {@link ExclusionCode#NO_CHANNEL} when they differ.
   */
  private static Why closedChannels(List<Why> closed) {
    if (closed == null) {
      return new Why(ExclusionCode.NO_CHANNEL, "no channel of the campaign is asked for");
    }
    ExclusionCode code = closed.get(0).code();
    StringBuilder text = new StringBuilder();
    for (Why w : closed) {
      code = w.code() == code ? code : ExclusionCode.NO_CHANNEL;
      text.append(text.isEmpty() ? "" : "; ").append(w.text());
    }
    return new Why(code, text.toString());
  }

  /** Whether the campaign belongs to this kind of moment at all (not an exclusion). */
  private static boolean considered(CampaignSpec spec, Request r) {
    if (r.placement() != null && !r.placement().equals(spec.placement())) {
      return false;
    }
    if (r.channel() != null && !spec.channels().contains(r.channel())) {
      return false;
    }
    String trigger = spec.triggerType();
    return switch (r.mode()) {
      case REALTIME -> !"event".equals(trigger);
      case PROFILE -> "realtime".equals(trigger);
      case EVENT ->
          "event".equals(trigger)
              && r.event() != null
              && spec.trigger().eventType().equals(r.event().get("type"));
      case SWEEP -> spec.id().equals(r.campaignId());
    };
  }

  private static Why campaignExclusion(
      CompiledCampaign c,
      Request r,
      Facts facts,
      EligibilitySettings settings,
      boolean globalControl,
      Map<String, Object> vars,
      BooleanSupplier ruleHolds) {
    CampaignSpec spec = c.spec();
    if (!spec.active()) {
      return new Why(ExclusionCode.INACTIVE, "campaign is " + spec.status());
    }
    if (spec.startsAt() != null && r.now().isBefore(spec.startsAt())) {
      return new Why(ExclusionCode.NOT_STARTED, "campaign starts at " + spec.startsAt());
    }
    if (spec.endsAt() != null && !r.now().isBefore(spec.endsAt())) {
      return new Why(ExclusionCode.ENDED, "campaign ended at " + spec.endsAt());
    }
    if (settings.exclusionSegment() != null
        && r.profile() != null
        && r.profile().segments() != null
        && r.profile().segments().contains(settings.exclusionSegment())) {
      return new Why(
          ExclusionCode.EXCLUSION_SEGMENT,
          "in the exclusion segment '" + settings.exclusionSegment() + "'");
    }
    if (!ruleHolds.getAsBoolean()) {
      return new Why(ExclusionCode.RULE_NOT_MET, "rule not met: " + spec.rule());
    }
    if (spec.follows() != null) {
      Why why = journeyExclusion(c, r, facts, vars);
      if (why != null) {
        return why;
      }
    }
    if (spec.cap() != null) {
      long sent = count(facts, r.now(), spec.cap().days(), x -> spec.id().equals(x.campaignId()));
      if (sent >= spec.cap().max()) {
        return new Why(
            ExclusionCode.CAMPAIGN_CAP,
            "campaign cap " + spec.cap().max() + "/" + spec.cap().days() + "d reached");
      }
    }
    return null;
  }

  private static Why journeyExclusion(
      CompiledCampaign c, Request r, Facts facts, Map<String, Object> vars) {
    CampaignSpec.JourneyLink link = c.spec().follows();
    Instant last = null;
    for (Contact x : facts.contacts()) {
      if (link.campaignId().equals(x.campaignId()) && (last == null || x.sentAt().isAfter(last))) {
        last = x.sentAt();
      }
    }
    if (last == null) {
      return new Why(
          ExclusionCode.JOURNEY_NOT_DUE,
          "follows '" + link.campaignId() + "', which was not sent yet");
    }
    Instant due = last.plus(Duration.ofDays(link.afterDays()));
    if (r.now().isBefore(due)) {
      return new Why(
          ExclusionCode.JOURNEY_NOT_DUE,
          "follows '" + link.campaignId() + "' after " + link.afterDays() + " days: due " + due);
    }
    if (c.followCondition() != null && !c.followCondition().test(vars)) {
      return new Why(
          ExclusionCode.JOURNEY_NOT_DUE, "journey condition not met: " + link.condition());
    }
    return null;
  }

  private static Why channelExclusion(
      String channel, Request r, Facts facts, EligibilitySettings settings) {
    if (facts.doNotContact().contains("*") || facts.doNotContact().contains(channel)) {
      return new Why(ExclusionCode.DO_NOT_CONTACT, "on the do-not-contact list (" + channel + ")");
    }
    if (!consented(channel, r.profile())) {
      return new Why(ExclusionCode.NO_CONSENT, "no " + channel + " consent");
    }
    EligibilitySettings.QuietHours quiet = settings.quietHoursOrEmpty().get(channel);
    if (quiet != null) {
      ZoneId zone = zoneOf(r.profile(), settings);
      ZonedDateTime local = r.now().atZone(zone);
      LocalTime from = LocalTime.parse(quiet.from());
      LocalTime to = LocalTime.parse(quiet.to());
      LocalTime t = local.toLocalTime();
      boolean inside =
          from.isBefore(to)
              ? !t.isBefore(from) && t.isBefore(to)
              : !t.isBefore(from) || t.isBefore(to);
      if (inside) {
        return new Why(
            ExclusionCode.QUIET_HOURS,
            "quiet hours until " + quiet.to() + " " + zone.getId() + " (" + channel + ")");
      }
    }
    for (EligibilitySettings.ChannelCap cap : settings.channelCapsOrEmpty()) {
      if (cap.channel().equals(channel)) {
        long sent = count(facts, r.now(), cap.days(), x -> channel.equals(x.channel()));
        if (sent >= cap.max()) {
          return new Why(
              ExclusionCode.FREQUENCY_CAP,
              "frequency cap " + cap.max() + "/" + cap.days() + "d reached (" + channel + ")");
        }
      }
    }
    return null;
  }

  /**
   * Messages need an explicit grant (email, sms, push); on-site personalization (web, in-app) is on
   * unless web personalization consent was withdrawn.
   */
  static boolean consented(String channel, ProfileSnapshot profile) {
    String key =
        switch (channel) {
          case "web", "in-app" -> "web";
          default -> channel;
        };
    Object granted = null;
    if (profile != null && profile.consents() != null) {
      Object consent = profile.consents().get(key);
      if (consent instanceof Map<?, ?> m) {
        granted = m.get("granted");
      }
    }
    return "web".equals(key) ? !Boolean.FALSE.equals(granted) : Boolean.TRUE.equals(granted);
  }

  private static ZoneId zoneOf(ProfileSnapshot profile, EligibilitySettings settings) {
    Object tz =
        profile == null || profile.attributes() == null
            ? null
            : profile.attributes().get("timezone");
    try {
      return ZoneId.of(tz instanceof String s ? s : settings.defaultTimezone());
    } catch (DateTimeException e) {
      return ZoneId.of(settings.defaultTimezone());
    }
  }

  private static long count(
      Facts facts, Instant now, int days, java.util.function.Predicate<Contact> which) {
    Instant since = now.minus(Duration.ofDays(days));
    long n = 0;
    for (Contact x : facts.contacts()) {
      if (x.sentAt().isAfter(since) && !x.sentAt().isAfter(now) && which.test(x)) {
        n++;
      }
    }
    return n;
  }

  private static Map<String, Object> variables(Request r, EligibilitySettings settings) {
    Map<String, Object> profileVars =
        r.profile() == null
            ? ProfileRules.emptyProfileVariables()
            : ProfileRules.variables(r.profile());
    ZonedDateTime local = r.now().atZone(zoneOf(r.profile(), settings));
    Map<String, Object> context = new HashMap<>();
    context.put("now", r.now().toString());
    context.put("localHour", local.getHour());
    context.put("dayOfWeek", local.getDayOfWeek().name().toLowerCase(Locale.ROOT));
    if (r.placement() != null) {
      context.put("placement", r.placement());
    }
    if (r.channel() != null) {
      context.put("channel", r.channel());
    }
    context.put("trigger", r.mode().name().toLowerCase(Locale.ROOT));
    return ProfileRules.momentVariables(profileVars, r.event(), context);
  }

  /**
   * Whether a salted hash of the customer id falls in the first {@code percent} of the range: the
   * same customer always lands on the same side while salt and share stay the same.
   */
  public static boolean inGroup(String salt, String customerId, Double percent) {
    if (percent == null || percent <= 0 || customerId == null) {
      return false;
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((salt + ":" + customerId).getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 6; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v / (double) (1L << 48) * 100 < percent;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String percent(Double p) {
    return (p == Math.rint(p) ? String.valueOf(p.longValue()) : String.valueOf(p)) + "%";
  }
}
