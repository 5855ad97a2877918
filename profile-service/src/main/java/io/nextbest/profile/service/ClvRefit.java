package io.nextbest.profile.service;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.profile.clv.BgNbdFitter;
import io.nextbest.profile.clv.ClvModel;
import io.nextbest.profile.clv.GammaGamma;
import io.nextbest.profile.clv.RepeatBuyers;
import io.nextbest.profile.domain.ClvModelRow;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.segments.ClusterFitting;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * Refits the population CLV models over every customer with a purchase: reads the customers in
 * keyset pages (no long transaction, no full list of entities in memory), fits on a worker thread,
 * stores the fit and puts it in use. Runs nightly and on demand.
 */
@ApplicationScoped
public class ClvRefit {
  private static final Logger LOG = Logger.getLogger(ClvRefit.class);
  static final int PAGE = 2000;

  /** Fewest repeat buyers a fit needs to say anything about this population. */
  public static final int MIN_REPEAT_BUYERS = 20;

  private final ClvModels models;
  private final Snapshots snapshots;
  private final io.vertx.mutiny.core.Vertx vertx;
  private final OneAtATime once = new OneAtATime("A CLV fit");

  private final ClusterFitting clusters;

  public ClvRefit(
      ClvModels models,
      Snapshots snapshots,
      ClusterFitting clusters,
      io.vertx.mutiny.core.Vertx vertx) {
    this.clusters = clusters;
    this.vertx = vertx;
    this.models = models;
    this.snapshots = snapshots;
  }

  @Scheduled(
      cron = "${nextbest.clv.refit-cron:0 0 3 * * ?}",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> nightly() {
    return refit()
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("nightly CLV refit skipped: %s", e.getMessage());
              return null;
            })
        // the marketing segments cluster on CLV, so they follow the new fit
        .chain(clusters::fit)
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("nightly segment fit skipped: %s", e.getMessage());
              return null;
            })
        .replaceWithVoid();
  }

  /** Picks up a fit another replica stored. */
  @Scheduled(every = "60s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> follow() {
    return models.refresh().onFailure().recoverWithNull().replaceWithVoid();
  }

  /** Fits, stores and uses new population parameters; fails when data is too thin. */
  public Uni<ClvModel> refit() {
    return once.run(
        () -> {
          LocalDate today = LocalDate.now(ZoneOffset.UTC);
          Collector data = new Collector();
          // the fit is CPU-bound: a worker thread runs it, and the result returns to this context
          return page(null, data, today)
              .chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> fit(data))))
              .chain(this::store);
        });
  }

  private Uni<Void> page(String after, Collector data, LocalDate today) {
    return Panache.withSession(
            () ->
                (after == null
                        ? Customer.<Customer>find("purchaseCount > 0 order by customerId")
                        : Customer.<Customer>find(
                            "purchaseCount > 0 and customerId > ?1 order by customerId", after))
                    .page(0, PAGE)
                    .list())
        .chain(
            rows -> {
              for (Customer c : rows) {
                data.add(snapshots.state(c), today);
              }
              return rows.size() < PAGE
                  ? Uni.createFrom().voidItem()
                  : page(rows.get(rows.size() - 1).customerId, data, today);
            });
  }

  private static ClvModelRow fit(Collector data) {
    if (data.repeaters < MIN_REPEAT_BUYERS) {
      throw new InvalidInputException(
          "customers",
          "a CLV fit needs at least "
              + MIN_REPEAT_BUYERS
              + " customers with repeat purchases; there are "
              + data.repeaters);
    }
    var bg = BgNbdFitter.fit(data.rfm.build());
    var gg =
        GammaGamma.fit(
            Arrays.copyOf(data.xs, data.repeaters), Arrays.copyOf(data.means, data.repeaters));
    ClvModelRow row = new ClvModelRow();
    row.fittedAt = Instant.now();
    row.customers = data.customers;
    row.r = bg.model().r();
    row.alpha = bg.model().alpha();
    row.a = bg.model().a();
    row.b = bg.model().b();
    row.p = gg.model().p();
    row.q = gg.model().q();
    row.gamma = gg.model().gamma();
    row.bgLogLikelihood = bg.logLikelihood();
    row.ggLogLikelihood = gg.logLikelihood();
    return row;
  }

  private Uni<ClvModel> store(ClvModelRow row) {
    return Panache.withTransaction(row::persist)
        .map(
            ignored -> {
              ClvModel model = ClvModels.toModel(row);
              models.use(model);
              LOG.infof(
                  "CLV model v%d fitted on %d customers: %s %s",
                  model.version(), model.customers(), model.bgNbd(), model.gammaGamma());
              return model;
            });
  }

  /** Accumulates the fit's inputs customer by customer. */
  private static final class Collector {
    final RepeatBuyers.Builder rfm = new RepeatBuyers.Builder();
    int[] xs = new int[1024];
    double[] means = new double[1024];
    int repeaters;
    long customers;

    void add(FeatureState s, LocalDate today) {
      FeatureState.RepeatSummary r = s.repeatSummary(today.toEpochDay());
      if (r == null) {
        return;
      }
      rfm.add(r.x(), r.tx(), r.age());
      customers++;
      if (r.x() > 0 && r.meanRepeatValue() > 0) {
        if (repeaters == xs.length) {
          xs = Arrays.copyOf(xs, repeaters * 2);
          means = Arrays.copyOf(means, repeaters * 2);
        }
        xs[repeaters] = r.x();
        means[repeaters] = r.meanRepeatValue();
        repeaters++;
      }
    }
  }
}
