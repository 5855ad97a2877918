package io.nextbest.eligibility.service;

import io.nextbest.common.eligibility.CampaignSet;
import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.eligibility.config.DoNotContactConfig;
import io.nextbest.eligibility.repository.DoNotContactRepository;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Compiled campaigns, settings and the do-not-contact list in memory, reloaded from PostgreSQL when
 * older than {@link #MAX_AGE} (and at once after a change made through this instance), so the hot
 * path (every moment, every real-time request) neither queries the database nor compiles CEL. While
 * one caller reloads, the others keep using the previous copy.
 */
@ApplicationScoped
public class CampaignCatalog {
  static final Duration MAX_AGE = Duration.ofSeconds(5);
  private static final Logger LOG = Logger.getLogger(CampaignCatalog.class);

  /**
   * What the catalogue holds.
   *
   * @param doNotContact the whole do-not-contact list, or null when it is longer than {@code
   *     nextbest.do-not-contact.max-in-memory} rows and is read per customer instead
   * @param set what was read, as edges receive it
   */
  public record Loaded(
      EligibilityEngine.Rules rules,
      Map<String, Set<String>> doNotContact,
      CampaignSet set,
      long loadedAtNanos) {}

  private final CampaignStore store;
  private final DoNotContactRepository doNotContact;
  private final AtomicBoolean loading = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicLong changes =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile Loaded loaded;
  private Uni<Loaded> firstLoad;
  private volatile List<CompiledCampaign> compiledBefore = List.of();

  private final int maxDoNotContact;
  private final Vertx vertx;
  private final Event<Changed> changed;

  public CampaignCatalog(
      CampaignStore store,
      DoNotContactRepository doNotContact,
      Vertx vertx,
      DoNotContactConfig config,
      Event<Changed> changed) {
    this.changed = changed;
    this.store = store;
    this.doNotContact = doNotContact;
    this.maxDoNotContact = config.maxInMemory();
    this.vertx = vertx;
  }

  /**
   * The do-not-contact entries of these customers: from the copy in memory, or from PostgreSQL in
   * one query when the list is too long to hold.
   */
  public Uni<Map<String, Set<String>>> doNotContact(Loaded loaded, Collection<String> customerIds) {
    if (loaded.doNotContact() != null) {
      return Uni.createFrom().item(loaded.doNotContact());
    }
    return doNotContact.of(customerIds);
  }

  public Uni<Loaded> current() {
    Loaded l = loaded;
    boolean fresh = l != null && System.nanoTime() - l.loadedAtNanos() < MAX_AGE.toNanos();
    if (fresh || (l != null && !loading.compareAndSet(false, true))) {
      return Uni.createFrom().item(l);
    }
    if (l == null) {
      // no copy yet: every caller waits for the one load in flight
      synchronized (this) {
        Uni<Loaded> pending = firstLoad;
        if (pending == null) {
          loading.set(true);
          pending =
              load()
                  .eventually(
                      () -> {
                        loading.set(false);
                        synchronized (this) {
                          firstLoad = null;
                        }
                      })
                  .memoize()
                  .indefinitely();
          firstLoad = pending;
        }
        return pending;
      }
    }
    return load().eventually(() -> loading.set(false));
  }

  public Uni<EligibilityEngine.Rules> rules() {
    return current().map(Loaded::rules);
  }

  /** Changes made through this instance since it started. */
  public long changes() {
    return changes.get();
  }

  /** A change made through this instance, observed (asynchronously) by the edge publication. */
  public record Changed(long count) {}

  /** Forgets the copy so the next caller reads PostgreSQL (after a change). */
  public void invalidate() {
    long count = changes.incrementAndGet();
    forget();
    changed.fireAsync(new Changed(count));
  }

  /**
   * A copy read from PostgreSQL now, whatever the age of the one held; callers meanwhile keep the
   * one held.
   */
  public Uni<Loaded> fresh() {
    return load();
  }

  private void forget() {
    Loaded l = loaded;
    if (l != null) {
      compiledBefore = l.rules().campaigns();
    }
    loaded = null;
  }

  /** The campaigns compiled by the last load, by id, reused when their version is unchanged. */
  private Map<String, CompiledCampaign> byId() {
    Loaded l = loaded;
    List<CompiledCampaign> last = l != null ? l.rules().campaigns() : compiledBefore;
    Map<String, CompiledCampaign> out = new java.util.HashMap<>();
    for (CompiledCampaign c : last) {
      out.put(c.id(), c);
    }
    return out;
  }

  /**
   * Reads PostgreSQL on a Vert.x event loop, as the campaign store's sessions require, whichever
   * thread asked: a caller that moved to a worker thread to evaluate rules may ask for a fresh
   * copy.
   */
  private Uni<Loaded> load() {
    if (Context.isOnEventLoopThread()) {
      return read();
    }
    Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(context, true);
    return Uni.createFrom()
        .emitter(
            emitter ->
                context.runOnContext(
                    ignored -> read().subscribe().with(emitter::complete, emitter::fail)));
  }

  private Uni<Loaded> read() {
    return store
        .all()
        .chain(
            campaigns ->
                store
                    .settings()
                    .chain(
                        settings ->
                            doNotContact
                                .allUpTo(maxDoNotContact)
                                .map(
                                    dnc -> {
                                      CampaignSet set =
                                          new CampaignSet(
                                              campaigns.stream()
                                                  .map(
                                                      c ->
                                                          new CampaignSet.Versioned(
                                                              c.spec(), c.version()))
                                                  .toList(),
                                              settings,
                                              dnc,
                                              java.time.Instant.now());
                                      List<String> failed = new ArrayList<>();
                                      EligibilityEngine.Rules rules = set.compile(byId(), failed);
                                      failed.forEach(
                                          f ->
                                              LOG.errorf(
                                                  "campaign does not compile, skipped: %s", f));
                                      Loaded l = new Loaded(rules, dnc, set, System.nanoTime());
                                      loaded = l;
                                      return l;
                                    })));
  }
}
