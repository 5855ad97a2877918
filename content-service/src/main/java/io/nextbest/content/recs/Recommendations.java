package io.nextbest.content.recs;

import io.nextbest.content.ContentConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Serves recommendations: the co-purchase graph (each item's strongest neighbours) reloaded from
 * PostgreSQL into memory, the customer's purchase history read per request.
 */
@ApplicationScoped
public class Recommendations {
  private static final Logger LOG = Logger.getLogger(Recommendations.class);
  private static final int HISTORY = 30;

  private final Pool pool;
  private final ContentConfig config;
  private volatile ItemGraph graph = new ItemGraph();
  private volatile Map<String, String> names = Map.of();

  public Recommendations(Pool pool, ContentConfig config) {
    this.pool = pool;
    this.config = config;
  }

  void onStart(@Observes StartupEvent e) {
    reload().await().indefinitely();
  }

  @Scheduled(
      every = "${nextbest.content.recs-refresh-every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledReload() {
    return reload()
        .onFailure()
        .invoke(f -> LOG.warnf("recommendations not reloaded: %s", f.getMessage()))
        .onFailure()
        .recoverWithNull();
  }

  /** Reloads popularity and each item's strongest neighbours. */
  public Uni<Void> reload() {
    Uni<ItemGraph> g =
        pool.query("select item, name, orders from item_stats")
            .execute()
            .chain(
                stats ->
                    pool.query(
                            "select a, b, orders from (select a, b, orders, row_number() over"
                                + " (partition by a order by orders desc, b) as rank from item_pairs) t"
                                + " where rank <= "
                                + ItemGraph.NEIGHBOURS)
                        .execute()
                        .map(
                            pairs -> {
                              ItemGraph next = new ItemGraph();
                              Map<String, String> n = new HashMap<>();
                              for (Row r : stats) {
                                next.addPopularity(r.getString("item"), r.getLong("orders"));
                                if (r.getString("name") != null) {
                                  n.put(r.getString("item"), r.getString("name"));
                                }
                              }
                              for (Row r : pairs) {
                                next.addPair(
                                    r.getString("a"), r.getString("b"), r.getLong("orders"));
                              }
                              names = n;
                              return next;
                            }));
    return g.invoke(next -> graph = next).replaceWithVoid();
  }

  /** Up to {@code k} items for the customer, as template data: item, name, score, source. */
  public Uni<List<Map<String, Object>>> forCustomer(String customerId, int k) {
    return history(customerId)
        .map(
            history -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (ItemGraph.Scored s : graph.recommend(history, k)) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("item", s.item());
                item.put("name", names.getOrDefault(s.item(), s.item()));
                item.put("score", s.score());
                item.put("source", s.source());
                out.add(item);
              }
              return out;
            });
  }

  public int defaultCount() {
    return config.recommendations();
  }

  private Uni<List<String>> history(String customerId) {
    return pool.preparedQuery(
            "select item from customer_items where customer_id = $1 order by bought_at desc limit "
                + HISTORY)
        .execute(Tuple.of(customerId))
        .map(
            rows -> {
              List<String> items = new ArrayList<>();
              rows.forEach(r -> items.add(r.getString("item")));
              return items;
            });
  }
}
