package io.nextbest.eligibility.repository;

import io.nextbest.eligibility.domain.CampaignVersion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The campaigns' audit trail ({@code campaign_versions}): one row per change, never updated. */
@ApplicationScoped
public class CampaignVersionRepository
    implements PanacheRepositoryBase<CampaignVersion, CampaignVersion.Key> {

  /** A campaign's changes, oldest first. */
  public Uni<List<CampaignVersion>> history(String campaignId) {
    return list("key.campaignId = ?1 order by key.version", campaignId);
  }
}
