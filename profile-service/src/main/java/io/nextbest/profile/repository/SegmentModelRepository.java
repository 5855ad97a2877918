package io.nextbest.profile.repository;

import io.nextbest.profile.domain.SegmentModelRow;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code segment_models} table: K-means fits of the marketing segments, one row per fit. */
@ApplicationScoped
public class SegmentModelRepository implements PanacheRepositoryBase<SegmentModelRow, Long> {

  /** The newest fit, or null before the first. */
  public Uni<SegmentModelRow> newest() {
    return find("order by version desc").firstResult();
  }

  /** Stores a fit in a transaction of its own; the row then has its version. */
  public Uni<SegmentModelRow> store(SegmentModelRow row) {
    return Panache.withTransaction(() -> persist(row));
  }
}
