package io.nextbest.profile.repository;

import io.nextbest.profile.domain.ClvModelRow;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code clv_models} table: population CLV fits, one row per fit. */
@ApplicationScoped
public class ClvModelRepository implements PanacheRepositoryBase<ClvModelRow, Long> {

  /** The newest fit, or null before the first. */
  public Uni<ClvModelRow> newest() {
    return find("order by version desc").firstResult();
  }

  /** Stores a fit in a transaction of its own; the row then has its version. */
  public Uni<ClvModelRow> store(ClvModelRow row) {
    return Panache.withTransaction(() -> persist(row));
  }
}
