package io.nextbest.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A customer moment on {@link Topics#ELIGIBILITY}: the campaigns this customer may receive now.
 *
 * @param id derived from what caused the moment, so a redelivered cause yields the same moment
 * @param type always {@link #TYPE}
 * @param customerId the customer
 * @param occurredAt when the moment was evaluated
 * @param cause id of the profile snapshot or event that caused the moment
 * @param campaigns eligible campaigns, after rules and exclusions; for a global-control customer,
 *     the campaigns the customer would have been eligible for
 * @param globalControl true when the customer is in the global control group: nothing is sent, the
 *     decision is logged so the programme's uplift can be measured
 * @param excluded the campaigns excluded at this moment with their reason, at most {@link
 *     Exclusion#MAX} of them; empty (and absent from the JSON) when none, or in a moment published
 *     before it was carried
 */
public record Moment(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    String cause,
    List<EligibleCampaign> campaigns,
    boolean globalControl,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Exclusion> excluded) {

  public static final String TYPE = "eligibility.moment";

  public Moment {
    excluded = excluded == null ? List.of() : excluded;
  }

  public Moment(
      String id,
      String type,
      String customerId,
      Instant occurredAt,
      String cause,
      List<EligibleCampaign> campaigns,
      boolean globalControl) {
    this(id, type, customerId, occurredAt, cause, campaigns, globalControl, List.of());
  }

  public Moment(
      String id,
      String type,
      String customerId,
      Instant occurredAt,
      String cause,
      List<EligibleCampaign> campaigns) {
    this(id, type, customerId, occurredAt, cause, campaigns, false);
  }

  /**
   * One eligible campaign.
   *
   * @param campaignId campaign id
   * @param priority manual priority (higher first), or null for "auto"
   * @param channel channel the campaign would use
   * @param placement placement for web and in-app campaigns, or null
   * @param control true when the customer is in the campaign's control group: the decision is
   *     logged as a control and nothing is sent
   */
  public record EligibleCampaign(
      String campaignId, Integer priority, String channel, String placement, boolean control) {

    public EligibleCampaign(String campaignId, Integer priority, String channel, String placement) {
      this(campaignId, priority, channel, placement, false);
    }
  }

  /**
   * A campaign excluded at the moment, kept with the decision so its explanation says why the other
   * campaigns were not candidates.
   *
   * @param campaignId campaign id
   * @param code why, as an {@link ExclusionCode} name (text, so a code added later still reads)
   * @param reason why, in words, at most {@link #MAX_REASON} characters
   */
  public record Exclusion(String campaignId, String code, String reason) {
    /** At most this many exclusions travel with a moment or a decision. */
    public static final int MAX = 50;

    /** A longer reason is cut to this many characters. */
    public static final int MAX_REASON = 200;

    /**
     * At most {@link #MAX} exclusions with their reasons cut to {@link #MAX_REASON}: a customer
     * excluded from hundreds of campaigns must not make every decision record that large. Those
     * that say the most about this customer are kept first: a campaign held back by a cap, a
     * consent, quiet hours or the control group, then one whose rule or exclusion segment left the
     * customer out, then one that is simply not running (inactive, not started, ended); the order
     * within each kind is kept.
     */
    public static List<Exclusion> bounded(Collection<Exclusion> all) {
      if (all == null || all.isEmpty()) {
        return List.of();
      }
      List<Exclusion> ranked = new ArrayList<>(all.size());
      for (Exclusion x : all) {
        if (x != null) {
          ranked.add(x);
        }
      }
      ranked.sort(Comparator.comparingInt(x -> rank(x.code())));
      List<Exclusion> out = new ArrayList<>(Math.min(ranked.size(), MAX));
      for (Exclusion x : ranked) {
        if (out.size() == MAX) {
          break;
        }
        String r = x.reason();
        out.add(
            r != null && r.length() > MAX_REASON
                ? new Exclusion(x.campaignId(), x.code(), r.substring(0, MAX_REASON))
                : x);
      }
      return List.copyOf(out);
    }

    private static int rank(String code) {
      if (code == null) {
        return 1;
      }
      return switch (code) {
        case "INACTIVE", "NOT_STARTED", "ENDED" -> 2;
        case "RULE_NOT_MET", "EXCLUSION_SEGMENT" -> 1;
        default -> 0;
      };
    }
  }
}
