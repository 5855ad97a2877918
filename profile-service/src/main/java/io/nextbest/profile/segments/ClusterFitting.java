package io.nextbest.profile.segments;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.sql.ClusterLock;
import io.nextbest.common.sql.ClusterLocks;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.segments.ClusterFitter;
import io.nextbest.models.segments.ClusterModel;
import io.nextbest.models.segments.ClusterSample;
import io.nextbest.profile.config.SegmentConfig;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.SegmentModelRow;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.SegmentModelRepository;
import io.nextbest.profile.service.OneAtATime;
import io.nextbest.profile.service.Snapshots;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Fits the marketing segments over every purchaser: features read in keyset pages into a uniform
 * sample of at most {@code nextbest.segments.max-points} (every purchaser while they fit), K-means
 * on a worker thread, the labelled model stored and put in use, then every customer re-evaluated.
 * One fit runs at a time across replicas (lock {@link ClusterLock.Key#SEGMENT_FIT}); a request
 * meanwhile is a 409.
 */
@ApplicationScoped
public class ClusterFitting {
  private static final Logger LOG = Logger.getLogger(ClusterFitting.class);
  static final int PAGE = 500;
  static final long SEED = 20_050_301L;

  private final Snapshots snapshots;
  private final SegmentCatalog catalog;
  private final SegmentReevaluation reevaluation;
  private final io.vertx.mutiny.core.Vertx vertx;
  private final OneAtATime once;
  private final int maxPoints;
  private final CustomerRepository customers;
  private final SegmentModelRepository models;

  public ClusterFitting(
      CustomerRepository customers,
      SegmentModelRepository models,
      Snapshots snapshots,
      SegmentCatalog catalog,
      SegmentReevaluation reevaluation,
      SegmentConfig config,
      io.vertx.mutiny.core.Vertx vertx,
      ClusterLocks locks) {
    this.once = new OneAtATime("A segment fit", locks.of(ClusterLock.Key.SEGMENT_FIT));
    this.maxPoints = config.maxPoints();
    this.customers = customers;
    this.models = models;
    this.snapshots = snapshots;
    this.catalog = catalog;
    this.reevaluation = reevaluation;
    this.vertx = vertx;
  }

  /** Fits, stores and uses a new cluster model; fails when there are too few purchasers. */
  public Uni<ClusterModel> fit() {
    return once.run(
        () -> {
          ClusterSample sample = new ClusterSample(maxPoints, SEED);
          // the moment the profiles' features and predictions are computed at
          Instant asOf = snapshots.moment();
          LocalDate today = asOf.atZone(ZoneOffset.UTC).toLocalDate();
          return page(null, sample, today)
              .chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> fit(sample, asOf))))
              .chain(this::store)
              .invoke(reevaluation::requestAll);
        });
  }

  private static ClusterModel fit(ClusterSample sample, Instant asOf) {
    if (sample.population() < ClusterFitter.MIN_CUSTOMERS) {
      throw new InvalidInputException(
          "customers",
          "a segment fit needs at least "
              + ClusterFitter.MIN_CUSTOMERS
              + " customers with purchases; there are "
              + sample.population());
    }
    if (sample.rows().size() < sample.population()) {
      LOG.infof(
          "segment fit on a uniform sample of %d of %d purchasers (nextbest.segments.max-points)",
          sample.rows().size(), sample.population());
    }
    return ClusterFitter.fit(sample.rows(), sample.population(), SEED, asOf);
  }

  private Uni<Void> page(String after, ClusterSample sample, LocalDate today) {
    return customers
        .purchasersAfter(after, PAGE)
        .chain(
            page -> {
              for (Customer c : page) {
                ProfileSnapshot s = snapshots.of(c);
                double[] v = ClusterModel.features(s.features(), s.predictions(), today);
                if (v != null) {
                  sample.add(v);
                }
              }
              return page.size() < PAGE
                  ? Uni.createFrom().voidItem()
                  : page(page.get(page.size() - 1).customerId, sample, today);
            });
  }

  private Uni<ClusterModel> store(ClusterModel model) {
    SegmentModelRow row = new SegmentModelRow();
    row.fittedAt = model.fittedAt();
    row.customers = model.customers();
    row.model = catalog.write(model);
    return models
        .store(row)
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
