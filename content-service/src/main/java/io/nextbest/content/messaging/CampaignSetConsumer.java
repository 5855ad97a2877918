package io.nextbest.content.messaging;

import io.nextbest.content.service.EdgeCampaigns;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the campaigns this replica evaluates in step with {@code nextbest.campaigns.v1}: every
 * replica reads the topic in a group of its own from its latest record ({@code LatestRecord}).
 */
@ApplicationScoped
public class CampaignSetConsumer {
  private final EdgeCampaigns campaigns;

  public CampaignSetConsumer(EdgeCampaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Incoming("campaign-sets")
  @Blocking
  public void onSet(String set) {
    if (set != null) {
      campaigns.accept(set);
    }
  }
}
