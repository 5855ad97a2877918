package io.nextbest.content.recs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.content.messaging.PurchaseConsumer;
import io.nextbest.events.Topics;
import io.nextbest.models.recs.ItemGraph;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The co-purchase graph under small bounds, against the real PostgreSQL: pairs per item are pruned
 * as purchases arrive, and the graph in memory holds the most popular items with their strongest
 * neighbours among them. Purchases are handed to the consumer directly and its Kafka channel stays
 * paused, so that only this class's orders are counted (the Kafka path is {@code
 * ContentApiTest}'s). The graph test's items are the most popular of this class's data.
 */
@QuarkusTest
@TestProfile(BoundedGraphTest.SmallGraph.class)
@QuarkusTestResource(TestJwt.class)
class BoundedGraphTest {
  static final int PAIRS_KEPT = 3;
  static final int MAX_ITEMS = 6;
  static final int NEIGHBOURS = 2;

  /** Bounds small enough to be reached by a handful of orders. */
  public static class SmallGraph implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "nextbest.recs.max-items-per-order", "5",
          "nextbest.recs.pairs-per-write", "30",
          "nextbest.recs.pairs-kept-per-item", String.valueOf(PAIRS_KEPT),
          "nextbest.recs.max-items", String.valueOf(MAX_ITEMS),
          "nextbest.recs.neighbours", String.valueOf(NEIGHBOURS),
          "nextbest.recs.load-page", "4",
          "mp.messaging.incoming.purchases.pausable", "true",
          "mp.messaging.incoming.purchases.initially-paused", "true");
    }
  }

  /** The events as one polled batch of the events topic (no type header, as older records). */
  static ConsumerRecords<String, String> polled(List<String> events) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    for (String e : events) {
      records.add(new ConsumerRecord<>(Topics.EVENTS, 0, records.size(), null, e));
    }
    return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.EVENTS, 0), records), Map.of());
  }

  @Inject PurchaseConsumer consumer;
  @Inject Recommendations recommendations;
  @Inject Pool pool;

  @Test
  void eachItemKeepsOnlyItsStrongestPairsAndAnOrderItsFirstItems() {
    String p = "prune-" + UUID.randomUUID() + "-";
    List<String> events = new ArrayList<>();
    // written in chunks of 30 rows (7 two-item orders): the hub's weak pairs arrive in the second
    for (String[] order :
        List.of(
            new String[] {"hub", "n1"},
            new String[] {"hub", "n1"},
            new String[] {"hub", "n1"},
            new String[] {"hub", "n2"},
            new String[] {"hub", "n2"},
            new String[] {"hub", "n3"},
            new String[] {"hub", "n3"},
            new String[] {"hub", "n4"},
            new String[] {"hub", "n5"},
            new String[] {"hub", "n6"},
            new String[] {"q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"})) {
      events.add(purchase("c-" + UUID.randomUUID(), prefixed(p, order)));
    }
    consumer.onEvents(polled(events)).await().indefinitely();

    assertThat(pairsOf(p + "hub")).isEqualTo(Map.of(p + "n1", 3L, p + "n2", 2L, p + "n3", 2L));
    assertThat(pairsOf(p + "n1")).isEqualTo(Map.of(p + "hub", 3L));
    // an order counts its first five items; each of them had four pairs and keeps three
    assertThat(pairsOf(p + "q1")).isEqualTo(Map.of(p + "q2", 1L, p + "q3", 1L, p + "q4", 1L));
    assertThat(count("select count(*) from item_stats where item like $1", p + "q%")).isEqualTo(5);
    assertThat(count("select count(*) from item_stats where item = $1", p + "q6")).isZero();
    assertThat(
            count(
                "select coalesce(max(n), 0) from (select count(*) as n from item_pairs"
                    + " group by a) t",
                null))
        .isLessThanOrEqualTo(PAIRS_KEPT);
  }

  @Test
  void theGraphHoldsTheMostPopularItemsWithTheirStrongestNeighboursAndStillAnswers() {
    String p = "graph-" + UUID.randomUUID() + "-";
    String likesG1 = "c-" + UUID.randomUUID();
    String boughtOutside = "c-" + UUID.randomUUID();
    List<String> events = new ArrayList<>();
    // g0's strongest pair is with g7, which is too rare to be held: g0 keeps g7, g1, g2 in the
    // table and holds g1, g2 in memory. Popularity: g0 40, g1 35, g2 30, g3 25, g4 22, g5 21,
    // g6 12, g7 9.
    add(events, p, 9, null, "g0", "g7");
    add(events, p, 8, null, "g0", "g1");
    add(events, p, 7, null, "g0", "g2");
    add(events, p, 6, null, "g0", "g3");
    add(events, p, 10, null, "g0");
    add(events, p, 26, null, "g1");
    add(events, p, 1, likesG1, "g1");
    add(events, p, 23, null, "g2");
    add(events, p, 19, null, "g3");
    add(events, p, 22, null, "g4");
    add(events, p, 21, null, "g5");
    add(events, p, 11, null, "g6");
    add(events, p, 1, boughtOutside, "g6");
    consumer.onEvents(polled(events)).await().indefinitely();
    assertThat(pairsOf(p + "g0")).containsOnlyKeys(p + "g7", p + "g1", p + "g2");

    recommendations.reload().await().indefinitely();
    ItemGraph g = recommendations.graph();
    assertThat(g.items()).isEqualTo(MAX_ITEMS);
    assertThat(g.neighbourSlots()).isEqualTo(NEIGHBOURS);
    assertThat(g.popular(MAX_ITEMS, java.util.Set.of()))
        .containsExactly(p + "g0", p + "g1", p + "g2", p + "g3", p + "g4", p + "g5");
    for (String item : g.popular(MAX_ITEMS, java.util.Set.of())) {
      assertThat(g.neighbours(item)).hasSizeLessThanOrEqualTo(NEIGHBOURS).allMatch(g::contains);
    }
    assertThat(g.neighbours(p + "g0")).containsExactly(p + "g1", p + "g2");
    assertThat(g.contains(p + "g6")).isFalse();
    assertThat(g.contains(p + "g7")).isFalse();

    // a history inside the graph: its neighbour first, then popular items
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .queryParam("k", 3)
        .get("/api/v1/recommendations/{c}", likesG1)
        .then()
        .statusCode(200)
        .body("item", equalTo(List.of(p + "g0", p + "g2", p + "g3")))
        .body("source", equalTo(List.of("co-purchase", "popular", "popular")))
        .body("[0].name", equalTo("Name of " + p + "g0"));
    // a history outside the graph: popular items, as for an unknown item
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .queryParam("k", 3)
        .get("/api/v1/recommendations/{c}", boughtOutside)
        .then()
        .statusCode(200)
        .body("item", equalTo(List.of(p + "g0", p + "g1", p + "g2")))
        .body("source", equalTo(List.of("popular", "popular", "popular")));
  }

  private static String[] prefixed(String p, String... items) {
    String[] out = new String[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = p + items[i];
    }
    return out;
  }

  /** {@code n} orders of {@code items} by {@code customer} (a new customer each when null). */
  private static void add(List<String> events, String p, int n, String customer, String... items) {
    for (int i = 0; i < n; i++) {
      events.add(
          purchase(customer == null ? "c-" + UUID.randomUUID() : customer, prefixed(p, items)));
    }
  }

  private static String purchase(String customer, String... items) {
    StringBuilder list = new StringBuilder();
    for (String i : items) {
      list.append(list.length() == 0 ? "" : ",")
          .append(
              "{\"sku\":\"%s\",\"name\":\"Name of %s\",\"price\":2.5,\"quantity\":1}"
                  .formatted(i, i));
    }
    String id = "o-" + UUID.randomUUID();
    return ("{\"id\":\"%s\",\"type\":\"purchase\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
            + "\"properties\":{\"orderId\":\"%s\",\"amount\":5,\"currency\":\"EUR\",\"items\":[%s]}}")
        .formatted(id, customer, Instant.now(), id, list);
  }

  private Map<String, Long> pairsOf(String item) {
    Map<String, Long> out = new HashMap<>();
    for (Row r :
        pool.preparedQuery("select b, orders from item_pairs where a = $1")
            .execute(Tuple.of(item))
            .await()
            .indefinitely()) {
      out.put(r.getString("b"), r.getLong("orders"));
    }
    return out;
  }

  private long count(String sql, String arg) {
    var q = pool.preparedQuery(sql);
    var rows = (arg == null ? q.execute() : q.execute(Tuple.of(arg))).await().indefinitely();
    return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
  }
}
