package io.nextbest.eligibility.repository;

import io.nextbest.eligibility.domain.Campaign;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Campaign storage. */
@ApplicationScoped
@WithSession
public class CampaignRepository implements PanacheRepositoryBase<Campaign, String> {

  public Uni<List<Campaign>> active() {
    return list("status = ?1 order by id", Campaign.ACTIVE);
  }

  public Uni<List<Campaign>> all() {
    return listAll(io.quarkus.panache.common.Sort.by("id"));
  }

  public Uni<Campaign> byId(String id) {
    return findById(id);
  }
}
