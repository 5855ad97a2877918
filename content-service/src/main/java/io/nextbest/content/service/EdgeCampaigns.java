package io.nextbest.content.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.eligibility.CampaignSet;
import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.content.ContentConfig;
import io.nextbest.models.policy.CampaignAttributes;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.DecisionPolicy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The campaigns this replica evaluates eligibility with in-process: the latest set
 * eligibility-service published on {@code nextbest.campaigns.v1}, compiled once (a campaign whose
 * version is unchanged keeps its compiled rules). A set older than {@code edge.max-campaigns-age},
 * or none yet, is not decided with: the content call asks decision-service over HTTP instead.
 */
@ApplicationScoped
@Startup
public class EdgeCampaigns {
  private static final Logger LOG = Logger.getLogger(EdgeCampaigns.class);

  /**
   * A compiled set.
   *
   * @param set as published
   * @param rules its campaigns compiled, with the settings
   * @param campaigns what the decider knows of them: attributes and journey links
   */
  public record Loaded(
      CampaignSet set, EligibilityEngine.Rules rules, Decider.Campaigns campaigns) {}

  private final JsonCodec json;
  private final Duration maxAge;
  private final Counter refused;
  private volatile Loaded loaded;

  public EdgeCampaigns(JsonCodec json, ContentConfig config, MeterRegistry registry) {
    this.json = json;
    this.maxAge = config.edge().maxCampaignsAge();
    this.refused =
        Counter.builder("nextbest.content.edge.campaign.sets.refused")
            .description("campaign sets that could not be read (the previous one stays)")
            .register(registry);
  }

  /** Takes a published set; an unreadable one is counted and the previous set stays. */
  public void accept(String value) {
    CampaignSet set;
    try {
      set = json.read(value, CampaignSet.class);
    } catch (RuntimeException e) {
      refused.increment();
      LOG.warnf("campaign set refused: %s", e.getMessage());
      return;
    }
    if (set == null
        || set.campaigns() == null
        || set.settings() == null
        || set.publishedAt() == null) {
      refused.increment();
      LOG.warn("campaign set refused: campaigns, settings and publishedAt are required");
      return;
    }
    Map<String, CompiledCampaign> before = new HashMap<>();
    Loaded current = loaded;
    if (current != null) {
      current.rules().campaigns().forEach(c -> before.put(c.id(), c));
    }
    List<String> failed = new ArrayList<>();
    EligibilityEngine.Rules rules = set.compile(before, failed);
    failed.forEach(f -> LOG.warnf("campaign does not compile, left out at the edge: %s", f));
    loaded = new Loaded(set, rules, campaigns(set));
  }

  /** The latest held, however old; null before the first. */
  public Loaded latest() {
    return loaded;
  }

  /** The set to decide with at {@code now}, or null when there is none fresh enough. */
  public Loaded fresh(Instant now) {
    Loaded l = loaded;
    return l != null && !l.set().publishedAt().plus(maxAge).isBefore(now) ? l : null;
  }

  /** Attributes and journey links of the set's campaigns, as decision-service knows them. */
  static Decider.Campaigns campaigns(CampaignSet set) {
    Map<String, CampaignAttributes> attributes = new HashMap<>();
    Map<String, List<DecisionPolicy.FollowUp>> followUps = new HashMap<>();
    for (CampaignSet.Versioned v : set.campaigns()) {
      CampaignSpec c = v.spec();
      CampaignSpec.Attributes a = c.attributes();
      attributes.put(
          c.id(),
          a == null
              ? CampaignAttributes.NONE
              : new CampaignAttributes(a.category(), a.discountDepth(), a.tags()));
      if (c.follows() != null && c.follows().campaignId() != null) {
        followUps
            .computeIfAbsent(c.follows().campaignId(), k -> new ArrayList<>())
            .add(
                new DecisionPolicy.FollowUp(
                    c.id(), c.follows().afterDays() == null ? 0 : c.follows().afterDays()));
      }
    }
    return new Decider.Campaigns() {
      @Override
      public CampaignAttributes attributes(String campaignId) {
        return attributes.getOrDefault(campaignId, CampaignAttributes.NONE);
      }

      @Override
      public List<DecisionPolicy.FollowUp> followUps(String campaignId) {
        return followUps.getOrDefault(campaignId, List.of());
      }
    };
  }
}
