package io.nextbest.profile.service;

import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.models.clv.GammaGamma;
import io.nextbest.profile.domain.ClvModelRow;
import io.nextbest.profile.repository.ClvModelRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The population CLV model in use: the newest fit stored in PostgreSQL, else {@link
 * ClvModel#PRIOR}. Held in memory so predictions on the ingest path cost no query; refreshed after
 * every fit and on a schedule (another replica may have fitted).
 */
@ApplicationScoped
public class ClvModels {
  private final AtomicReference<ClvModel> current = new AtomicReference<>(ClvModel.PRIOR);
  private final ClvModelRepository rows;

  public ClvModels(ClvModelRepository rows) {
    this.rows = rows;
  }

  public ClvModel current() {
    return current.get();
  }

  void use(ClvModel model) {
    current.set(model);
  }

  /** Reloads the newest stored fit. */
  @WithSession
  public Uni<ClvModel> refresh() {
    return rows.newest()
        .map(
            row -> {
              if (row != null && row.version > current.get().version()) {
                current.set(toModel(row));
              }
              return current.get();
            });
  }

  static ClvModel toModel(ClvModelRow row) {
    return new ClvModel(
        row.version,
        row.fittedAt,
        row.customers,
        new BgNbd(row.r, row.alpha, row.a, row.b),
        new GammaGamma(row.p, row.q, row.gamma),
        row.asOf);
  }
}
