package io.nextbest.decision.campaigns;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.client.EligibilityClient;
import io.nextbest.models.policy.CampaignAttributes;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.DecisionPolicy;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * What decisioning knows of the campaigns: attribution windows, control shares and journey links,
 * refreshed from eligibility-service. When eligibility-service is down the last known catalogue
 * stays in force (decisions still carry the candidates' own priorities and control flags).
 */
@ApplicationScoped
public class CampaignInfo implements Decider.Campaigns {
  private static final Logger LOG = Logger.getLogger(CampaignInfo.class);

  /** Attribution window, control share, the follow-ups and the attributes of one campaign. */
  public record Meta(
      int windowDays,
      double controlPercent,
      List<DecisionPolicy.FollowUp> followUps,
      CampaignAttributes attributes) {}

  private final EligibilityClient eligibility;
  private final DecisionConfig config;
  private volatile Map<String, Meta> campaigns = Map.of();
  private volatile double globalControlPercent = Double.NaN;

  public CampaignInfo(@RestClient EligibilityClient eligibility, DecisionConfig config) {
    this.eligibility = eligibility;
    this.config = config;
  }

  void onStart(@Observes StartupEvent e) {
    refresh().subscribe().with(x -> {}, f -> {});
  }

  @Scheduled(
      every = "${nextbest.decision.campaign-refresh}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledRefresh() {
    return refresh();
  }

  public Uni<Void> refresh() {
    return eligibility
        .campaigns()
        .invoke(list -> campaigns = index(list))
        .chain(eligibility::settings)
        .invoke(
            s -> {
              if (s != null && s.controlGroupPercent() != null) {
                globalControlPercent = s.controlGroupPercent();
              }
            })
        .onFailure()
        .invoke(f -> LOG.debugf("campaign catalogue not refreshed: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private Map<String, Meta> index(List<EligibilityClient.CampaignView> views) {
    Map<String, List<DecisionPolicy.FollowUp>> followUps = new HashMap<>();
    for (var v : views) {
      var c = v.campaign();
      if (c != null && c.follows() != null && c.follows().campaignId() != null) {
        followUps
            .computeIfAbsent(c.follows().campaignId(), k -> new ArrayList<>())
            .add(
                new DecisionPolicy.FollowUp(
                    c.id(), c.follows().afterDays() == null ? 0 : c.follows().afterDays()));
      }
    }
    Map<String, Meta> index = new HashMap<>();
    for (var v : views) {
      var c = v.campaign();
      if (c == null || c.id() == null) {
        continue;
      }
      index.put(
          c.id(),
          new Meta(
              c.attributionWindowDays() == null
                  ? config.defaultWindowDays()
                  : c.attributionWindowDays(),
              c.controlPercent() == null ? 0 : c.controlPercent(),
              List.copyOf(followUps.getOrDefault(c.id(), List.of())),
              of(c.attributes())));
    }
    return Map.copyOf(index);
  }

  /** The attributes eligibility-service reports, in the policy's terms. */
  public static CampaignAttributes of(EligibilityClient.Attributes a) {
    return a == null
        ? CampaignAttributes.NONE
        : new CampaignAttributes(a.category(), a.discountDepth(), a.tags());
  }

  @Override
  public CampaignAttributes attributes(String campaignId) {
    Meta m = campaigns.get(campaignId);
    return m == null ? CampaignAttributes.NONE : m.attributes();
  }

  /** Share of customers in the global control group, NaN until eligibility-service answered. */
  public double globalControlPercent() {
    return globalControlPercent;
  }

  public Map<String, Meta> all() {
    return campaigns;
  }

  @Override
  public List<DecisionPolicy.FollowUp> followUps(String campaignId) {
    Meta m = campaigns.get(campaignId);
    return m == null ? List.of() : m.followUps();
  }

  /** Attribution window of a campaign; the default for none and unknown campaigns. */
  public int windowDays(String campaignId) {
    Meta m = campaignId == null ? null : campaigns.get(campaignId);
    return m == null ? config.defaultWindowDays() : m.windowDays();
  }
}
