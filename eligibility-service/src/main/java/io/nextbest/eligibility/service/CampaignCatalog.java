package io.nextbest.eligibility.service;

import io.nextbest.eligibility.repository.CampaignRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * The campaigns in memory, reloaded from PostgreSQL when older than {@link #MAX_AGE}, so the hot
 * path (every moment, every real-time request) does not query the database.
 */
@ApplicationScoped
public class CampaignCatalog {
  static final Duration MAX_AGE = Duration.ofSeconds(5);

  private final CampaignRepository repository;
  private volatile List<CampaignView> campaigns;
  private volatile long loadedAtNanos;

  public CampaignCatalog(CampaignRepository repository) {
    this.repository = repository;
  }

  public Uni<List<CampaignView>> current() {
    List<CampaignView> cached = campaigns;
    if (cached != null && System.nanoTime() - loadedAtNanos < MAX_AGE.toNanos()) {
      return Uni.createFrom().item(cached);
    }
    return repository
        .all()
        .map(
            list -> {
              List<CampaignView> views = list.stream().map(CampaignView::of).toList();
              campaigns = views;
              loadedAtNanos = System.nanoTime();
              return views;
            });
  }
}
