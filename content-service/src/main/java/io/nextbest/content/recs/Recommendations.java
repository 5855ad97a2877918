package io.nextbest.content.recs;

import io.nextbest.content.ContentConfig;
import io.nextbest.content.RecsConfig;
import io.nextbest.content.repository.CoPurchaseRepository;
import io.nextbest.models.recs.ItemGraph;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Serves recommendations: a bounded co-purchase graph (the most popular items, each with its
 * strongest neighbours among them; {@link RecsConfig}) reloaded from PostgreSQL into memory, the
 * customer's purchase history read per request.
 */
@ApplicationScoped
public class Recommendations {
  private static final Logger LOG = Logger.getLogger(Recommendations.class);
  private static final int HISTORY = 30;

  private final CoPurchaseRepository purchases;
  private final ContentConfig config;
  private final RecsConfig recs;
  private volatile ItemGraph graph = ItemGraph.empty();

  public Recommendations(CoPurchaseRepository purchases, ContentConfig config, RecsConfig recs) {
    this.purchases = purchases;
    this.config = config;
    this.recs = recs;
  }

  void onStart(@Observes StartupEvent e) {
    reload().await().indefinitely();
  }

  @Scheduled(
      every = "${nextbest.content.recs-refresh-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledReload() {
    return reload()
        .onFailure()
        .invoke(f -> LOG.warnf("recommendations not reloaded: %s", f.getMessage()))
        .onFailure()
        .recoverWithNull();
  }

  /**
   * Reloads the graph: the {@code max-items} most popular items, then each one's {@code neighbours}
   * strongest neighbours among them, {@code load-page} items per query. All queries read one
   * snapshot (repeatable read), so pages agree on which items are held. The graph in use is
   * replaced once the new one is complete.
   */
  public Uni<Void> reload() {
    ItemGraph.Builder next = ItemGraph.builder(recs.maxItems(), recs.neighbours());
    return purchases
        .inSnapshot(
            c -> loadItems(c, next, new Last()).chain(last -> loadNeighbours(c, next, last, 0)))
        .invoke(() -> graph = next.build())
        .replaceWithVoid();
  }

  /** The least popular item loaded so far; an item belongs to the graph if it ranks before it. */
  private static final class Last {
    long orders;
    String item;
    final List<String> items = new ArrayList<>();
  }

  private Uni<Last> loadItems(SqlConnection c, ItemGraph.Builder next, Last last) {
    int page = Math.min(recs.loadPage(), recs.maxItems() - next.items());
    if (page <= 0) {
      return Uni.createFrom().item(last);
    }
    return purchases
        .popular(c, page, next.items())
        .chain(
            rows -> {
              for (CoPurchaseRepository.Item r : rows) {
                String item = r.item();
                if (next.item(item, r.name(), r.orders())) {
                  last.orders = r.orders();
                  last.item = item;
                  last.items.add(item);
                }
              }
              return rows.size() < page ? Uni.createFrom().item(last) : loadItems(c, next, last);
            });
  }

  private Uni<Void> loadNeighbours(SqlConnection c, ItemGraph.Builder next, Last last, int from) {
    if (from >= last.items.size() || recs.neighbours() == 0) {
      return Uni.createFrom().voidItem();
    }
    List<String> page =
        last.items.subList(from, Math.min(last.items.size(), from + recs.loadPage()));
    return purchases
        .strongestNeighbours(c, page, last.orders, last.item, recs.neighbours())
        .chain(
            rows -> {
              for (CoPurchaseRepository.Neighbour r : rows) {
                next.neighbour(page.get(r.n() - 1), r.neighbour(), r.orders());
              }
              return loadNeighbours(c, next, last, from + page.size());
            });
  }

  /** Up to {@code k} items for the customer, as template data: item, name, score, source. */
  public Uni<List<Map<String, Object>>> forCustomer(String customerId, int k) {
    return history(customerId)
        .map(
            history -> {
              List<Map<String, Object>> out = new ArrayList<>();
              ItemGraph g = graph;
              for (ItemGraph.Scored s : g.recommend(history, k)) {
                Map<String, Object> item = new LinkedHashMap<>();
                String name = g.name(s.item());
                item.put("item", s.item());
                item.put("name", name == null ? s.item() : name);
                item.put("score", s.score());
                item.put("source", s.source());
                out.add(item);
              }
              return out;
            });
  }

  /** The graph in use (replaced whole by each reload). */
  public ItemGraph graph() {
    return graph;
  }

  public int defaultCount() {
    return config.recommendations();
  }

  private Uni<List<String>> history(String customerId) {
    return purchases.latestItems(customerId, HISTORY);
  }
}
