package io.nextbest.profile.service;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.sql.ClusterLock;
import io.nextbest.common.sql.ClusterLocks;
import io.nextbest.models.clv.BgNbdFitter;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.models.clv.GammaGamma;
import io.nextbest.models.clv.RepeatSample;
import io.nextbest.profile.config.ClvConfig;
import io.nextbest.profile.domain.ClvModelRow;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.repository.ClvModelRepository;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.segments.ClusterFitting;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Refits the population CLV models over every customer with a purchase: reads the customers in
 * keyset pages (no long transaction, no full list of entities in memory) into a uniform sample of
 * at most {@code nextbest.clv.max-fit-customers} (every customer while they fit), fits on a worker
 * thread, stores the fit and puts it in use. Runs nightly and on demand, on one replica at a time
 * (lock {@link ClusterLock.Key#CLV_REFIT}): the nightly run is skipped on the replicas that find it
 * taken, and a request meanwhile is a 409 whichever replica runs the fit. Predictions are not
 * stored per customer: each profile derives them from the model in use whenever it is read or
 * changed.
 */
@ApplicationScoped
public class ClvRefit {
  private static final Logger LOG = Logger.getLogger(ClvRefit.class);
  static final int PAGE = 500;
  static final long SEED = 19_970_101L;

  /** Fewest repeat buyers a fit needs to say anything about this population. */
  public static final int MIN_REPEAT_BUYERS = 20;

  private final ClvModels models;
  private final Snapshots snapshots;
  private final io.vertx.mutiny.core.Vertx vertx;
  private final OneAtATime once;

  private final ClusterFitting clusters;
  private final int maxFitCustomers;
  private final CustomerRepository customers;
  private final ClvModelRepository rows;

  public ClvRefit(
      CustomerRepository customers,
      ClvModelRepository rows,
      ClvModels models,
      Snapshots snapshots,
      ClusterFitting clusters,
      ClvConfig config,
      io.vertx.mutiny.core.Vertx vertx,
      ClusterLocks locks) {
    this.once = new OneAtATime("A CLV fit", locks.of(ClusterLock.Key.CLV_REFIT));
    this.customers = customers;
    this.rows = rows;
    this.clusters = clusters;
    this.maxFitCustomers = config.maxFitCustomers();
    this.vertx = vertx;
    this.models = models;
    this.snapshots = snapshots;
  }

  @Scheduled(
      cron = "${nextbest.clv.refit-cron}",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> nightly() {
    // one replica runs both fits, holding the CLV lock until the segment fit is done
    return once.run(
            () ->
                nightlyMoment()
                    .chain(this::fitAndUse)
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
                        }))
        .onFailure(OneAtATime::isBusy)
        .recoverWithItem(
            e -> {
              LOG.debugf("nightly CLV refit skipped: %s", e.getMessage());
              return null;
            })
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("nightly CLV refit skipped: %s", e.toString());
              return null;
            })
        .replaceWithVoid();
  }

  /** Picks up a fit another replica stored. */
  @Scheduled(
      every = "${nextbest.clv.reload-interval}",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> follow() {
    return models.refresh().onFailure().recoverWithNull().replaceWithVoid();
  }

  /** Fits, stores and uses new population parameters on live data (as of now). */
  public Uni<ClvModel> refit() {
    return refit(null);
  }

  /**
   * Fits, stores and uses new population parameters as of {@code asOf}, the moment the data stands
   * at (a historical load); null for live data. Fails when data is too thin or the moment lies
   * ahead.
   */
  public Uni<ClvModel> refit(Instant asOf) {
    if (asOf != null && asOf.isAfter(Instant.now().plus(EventValidator.MAX_FUTURE_SKEW))) {
      throw new InvalidInputException(
          "asOf", "must not lie in the future: the moment the data stands at, e.g. its last event");
    }
    return once.run(() -> fitAndUse(asOf));
  }

  /**
   * The nightly fit's moment: live data stays live; a declared moment (a historical load) stays,
   * moved on to the latest event when live events have arrived since.
   */
  private Uni<Instant> nightlyMoment() {
    Instant declared = models.current().asOf();
    if (declared == null) {
      return Uni.createFrom().nullItem();
    }
    return customers
        .latestEventAt()
        .map(latest -> latest != null && latest.isAfter(declared) ? latest : declared);
  }

  private Uni<ClvModel> fitAndUse(Instant asOf) {
    LocalDate today = (asOf == null ? Instant.now() : asOf).atZone(ZoneOffset.UTC).toLocalDate();
    RepeatSample data = new RepeatSample(maxFitCustomers, SEED);
    // the fit is CPU-bound: a worker thread runs it, and the result returns to this context
    return page(null, data, today)
        .chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> fit(data, asOf))))
        .chain(this::store);
  }

  private Uni<Void> page(String after, RepeatSample data, LocalDate today) {
    return customers
        .purchasersAfter(after, PAGE)
        .chain(
            rows -> {
              for (Customer c : rows) {
                FeatureState.RepeatSummary r = snapshots.state(c).repeatSummary(today.toEpochDay());
                if (r != null) {
                  data.add(r.x(), r.tx(), r.age(), r.meanRepeatValue());
                }
              }
              return rows.size() < PAGE
                  ? Uni.createFrom().voidItem()
                  : page(rows.get(rows.size() - 1).customerId, data, today);
            });
  }

  private static ClvModelRow fit(RepeatSample data, Instant asOf) {
    int repeaters = data.repeatBuyersWithValue();
    if (repeaters < MIN_REPEAT_BUYERS) {
      throw new InvalidInputException(
          "customers",
          "a CLV fit needs at least "
              + MIN_REPEAT_BUYERS
              + " customers with repeat purchases; there are "
              + repeaters
              + (data.size() < data.customers() ? " in a sample of " + data.size() : ""));
    }
    var bg = BgNbdFitter.fit(data.repeatBuyers());
    var gg = GammaGamma.fit(data.repeatCounts(), data.repeatMeans());
    if (data.size() < data.customers()) {
      LOG.infof(
          "CLV fit on a uniform sample of %d of %d customers (nextbest.clv.max-fit-customers)",
          data.size(), data.customers());
    }
    ClvModelRow row = new ClvModelRow();
    row.fittedAt = Instant.now();
    row.asOf = asOf;
    row.customers = data.customers();
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
    return rows.store(row)
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
}
