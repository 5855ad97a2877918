package io.nextbest.profile.segments;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.SegmentModelRow;
import io.nextbest.profile.service.OneAtATime;
import io.nextbest.profile.service.Snapshots;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fits the marketing segments over every purchaser: features read in keyset pages, K-means on a
 * worker thread, the labelled model stored and put in use, then every customer re-evaluated.
 */
@ApplicationScoped
public class ClusterFitting {
  private static final Logger LOG = Logger.getLogger(ClusterFitting.class);
  static final int PAGE = 2000;
  static final long SEED = 20_050_301L;

  private final Snapshots snapshots;
  private final SegmentCatalog catalog;
  private final SegmentReevaluation reevaluation;
  private final io.vertx.mutiny.core.Vertx vertx;
  private final OneAtATime once = new OneAtATime("A segment fit");

  public ClusterFitting(
      Snapshots snapshots,
      SegmentCatalog catalog,
      SegmentReevaluation reevaluation,
      io.vertx.mutiny.core.Vertx vertx) {
    this.snapshots = snapshots;
    this.catalog = catalog;
    this.reevaluation = reevaluation;
    this.vertx = vertx;
  }

  /** Fits, stores and uses a new cluster model; fails when there are too few purchasers. */
  public Uni<ClusterModel> fit() {
    return once.run(
        () -> {
          List<double[]> rows = new ArrayList<>();
          LocalDate today = LocalDate.now(ZoneOffset.UTC);
          return page(null, rows, today)
              .chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> fit(rows))))
              .chain(this::store)
              .invoke(reevaluation::requestAll);
        });
  }

  private static ClusterModel fit(List<double[]> rows) {
    if (rows.size() < ClusterFitter.MIN_CUSTOMERS) {
      throw new InvalidInputException(
          "customers",
          "a segment fit needs at least "
              + ClusterFitter.MIN_CUSTOMERS
              + " customers with purchases; there are "
              + rows.size());
    }
    return ClusterFitter.fit(rows, SEED);
  }

  private Uni<Void> page(String after, List<double[]> rows, LocalDate today) {
    return Panache.withSession(
            () ->
                (after == null
                        ? Customer.<Customer>find("purchaseCount > 0 order by customerId")
                        : Customer.<Customer>find(
                            "purchaseCount > 0 and customerId > ?1 order by customerId", after))
                    .page(0, PAGE)
                    .list())
        .chain(
            page -> {
              for (Customer c : page) {
                ProfileSnapshot s = snapshots.of(c);
                double[] v = ClusterModel.features(s.features(), s.predictions(), today);
                if (v != null) {
                  rows.add(v);
                }
              }
              return page.size() < PAGE
                  ? Uni.createFrom().voidItem()
                  : page(page.get(page.size() - 1).customerId, rows, today);
            });
  }

  private Uni<ClusterModel> store(ClusterModel model) {
    SegmentModelRow row = new SegmentModelRow();
    row.fittedAt = model.fittedAt();
    row.customers = model.customers();
    row.model = catalog.write(model);
    return Panache.withTransaction(row::persist)
        .map(
            ignored -> {
              ClusterModel stored = catalog.read(row);
              catalog.useClusters(stored);
              LOG.infof(
                  "segment model v%d fitted on %d purchasers: %s",
                  stored.version(),
                  stored.customers(),
                  stored.centroids().stream().map(c -> c.segment() + "=" + c.size()).toList());
              return stored;
            });
  }
}
