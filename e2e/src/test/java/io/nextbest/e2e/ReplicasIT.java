package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.sql.ClusterLock;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two replicas of every service side by side (different ports; the same databases, topics and
 * consumer groups; the services call each other through a balancer per service): a customer's
 * events sent to both in turn come out on the profiles topic in version order; a CLV or segment fit
 * runs on one replica at a time; and with one replica of each service killed mid-stream under a
 * {@link SteadyLoad}, nothing accepted is lost or counted twice and every customer's snapshots stay
 * in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final int CUSTOMERS = 12;
  static final int ROUNDS = 8;
  static final int CALM_SECONDS = 3;

  static IsolatedSystem isolated;
  static NextBestSystem system;

  @BeforeAll
  static void startTwoReplicasOfEveryService() throws Exception {
    // the promotion check every second instead of every minute
    isolated = new IsolatedSystem(Map.of("NEXTBEST_DECISION_PROMOTION_INTERVAL", "1s"), 2);
    system = isolated.system;
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (isolated != null) {
      isolated.close();
    }
  }

  @Test
  @Order(1)
  void customersEventsSentToBothReplicasArePublishedInVersionOrder() throws Exception {
    List<String> replicas = List.of(system.url("profile-1"), system.url("profile-2"));
    List<String> customers = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      String c = "replicas-" + RUN + "-c" + i;
      customers.add(c);
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("attributes", Map.of("name", "Replicas " + RUN)))
          .put(replicas.get(i % 2) + "/api/v1/profiles/{id}", c)
          .then()
          .statusCode(200);
    }
    // each round sends every customer one purchase, alternating the replica per customer and round
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < CUSTOMERS; i++) {
        String id = "replicas-" + RUN + "-r" + round + "-c" + i;
        String body =
            ("{\"events\":[{\"eventId\":\"%s\",\"customerId\":\"%s\",\"type\":\"purchase\","
                    + "\"properties\":{\"orderId\":\"%s\",\"amount\":%d,\"currency\":\"EUR\"}}]}")
                .formatted(id, customers.get(i), id, 10 + round);
        int status =
            given()
                .contentType(ContentType.JSON)
                .body(body)
                .post(replicas.get((round + i) % 2) + "/api/v1/events")
                .then()
                .extract()
                .statusCode();
        assertThat(status / 100).as("event %s answered %d", id, status).isEqualTo(2);
      }
    }
    // every accepted event folded by the log's consumers (on either replica)
    long deadline = System.currentTimeMillis() + 60_000;
    while (given()
                .get(replicas.get(0) + "/api/v1/events/lag")
                .then()
                .statusCode(200)
                .extract()
                .<Integer>path("eventsBehind")
            != 0
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    // the latest version of each customer, as committed (a replica's cache may lag the other's)
    Map<String, Long> latest = new HashMap<>();
    try (Connection db = profileDb();
        PreparedStatement q =
            db.prepareStatement("select version from customers where customer_id = ?")) {
      for (String c : customers) {
        q.setString(1, c);
        try (ResultSet r = q.executeQuery()) {
          assertThat(r.next()).as("customer %s stored", c).isTrue();
          latest.put(c, r.getLong(1));
        }
      }
    }

    assertPublishedInVersionOrder(latest);
  }

  /** Each customer's snapshots on the profiles topic: in version order, up to the latest one. */
  private static void assertPublishedInVersionOrder(Map<String, Long> latest) throws Exception {
    Map<String, List<Long>> published = readProfiles(latest, Duration.ofSeconds(60));
    for (String c : latest.keySet()) {
      List<Long> versions = published.get(c);
      assertThat(versions).as("versions of %s on %s", c, Topics.PROFILES).isNotEmpty();
      assertThat(versions)
          .as("versions of %s in topic order", c)
          .isSortedAccordingTo(Long::compare);
      assertThat(new HashSet<>(versions)).as("distinct versions of %s", c).hasSize(versions.size());
      assertThat(versions.get(versions.size() - 1)).isEqualTo(latest.get(c));
    }
  }

  @Test
  @Order(2)
  void aFitRunsOnOneReplicaAtATime() throws Exception {
    String[] fits = {"/api/v1/admin/clv-model/fit", "/api/v1/admin/segment-model/fit"};
    ClusterLock.Key[] keys = {ClusterLock.Key.CLV_REFIT, ClusterLock.Key.SEGMENT_FIT};
    for (int k = 0; k < fits.length; k++) {
      String fit = fits[k];
      // while a fit holds the lock (here this test's session stands for the replica running it),
      // a fit asked of either replica is refused
      try (Connection db = profileDb();
          PreparedStatement lock = db.prepareStatement("select pg_try_advisory_lock(?)")) {
        lock.setLong(1, keys[k].id());
        try (ResultSet r = lock.executeQuery()) {
          r.next();
          assertThat(r.getBoolean(1)).as("lock %s free before the test", keys[k]).isTrue();
        }
        assertThat(post(system.url("profile-1") + fit)).as(fit + " on replica 1").isEqualTo(409);
        assertThat(post(system.url("profile-2") + fit)).as(fit + " on replica 2").isEqualTo(409);
        try (PreparedStatement unlock = db.prepareStatement("select pg_advisory_unlock(?)")) {
          unlock.setLong(1, keys[k].id());
          unlock.execute();
        }
      }
      // the lock is free again: a fit runs (it may still refuse thin data: 400)
      assertThat(post(system.url("profile-2") + fit)).as(fit + " after the lock").isNotEqualTo(409);

      // both replicas asked at once: never two fits at the same time, and never both refused
      CompletableFuture<Integer> one =
          CompletableFuture.supplyAsync(() -> post(system.url("profile-1") + fit));
      CompletableFuture<Integer> two =
          CompletableFuture.supplyAsync(() -> post(system.url("profile-2") + fit));
      List<Integer> answers = List.of(one.get(5, TimeUnit.MINUTES), two.get(5, TimeUnit.MINUTES));
      assertThat(answers).as(fit + " on both replicas at once").anyMatch(s -> s != 409);
      assertThat(answers).allMatch(s -> s == 200 || s == 400 || s == 409);
    }
  }

  /**
   * While the test holds a job's lock (standing for the replica running it), neither replica runs
   * the job: the promotion check is skipped on both at every tick, and a segment re-evaluation
   * asked of one replica waits; once the lock is free, the job runs. Each replica counts its turns
   * in {@code nextbest_cluster_jobs_total}.
   */
  @Test
  @Order(3)
  void promotionAndReevaluationRunOnOneReplicaAtATime() throws Exception {
    List<String> deciders = List.of("decision-1", "decision-2");
    try (Connection db = db("nextbest_decision_e2e")) {
      hold(db, ClusterLock.Key.PROMOTION);
      // counted from here: a turn that took the lock before the test is already counted
      Map<String, Double> ranBefore = turns(deciders, "promotion", "ran");
      Map<String, Double> elsewhereBefore = turns(deciders, "promotion", "elsewhere");
      try {
        // every replica ticks at least twice while the lock is held elsewhere, running nothing
        SteadyLoad.await(
            () -> moreThan(turns(deciders, "promotion", "elsewhere"), elsewhereBefore, 2),
            "both decision replicas find the promotion lock held");
        assertThat(turns(deciders, "promotion", "ran")).isEqualTo(ranBefore);
      } finally {
        release(db, ClusterLock.Key.PROMOTION);
      }
      SteadyLoad.await(
          () -> sum(turns(deciders, "promotion", "ran")) > sum(ranBefore),
          "a promotion check once the lock is free");
    }

    List<String> profiles = List.of("profile-1", "profile-2");
    String segment = "replicas-" + RUN + "-segment";
    try (Connection db = profileDb()) {
      hold(db, ClusterLock.Key.SEGMENT_REEVALUATION);
      Map<String, Double> ranBefore = turns(profiles, "segment-reevaluation", "ran");
      Map<String, Double> elsewhereBefore = turns(profiles, "segment-reevaluation", "elsewhere");
      try {
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "id", segment, "name", "Replicas " + RUN, "rule", "features.purchaseCount > 0"))
            .post(system.url("profile-1") + "/api/v1/segments")
            .then()
            .statusCode(201);
        // the replica the segment was created on retries every second, running nothing
        SteadyLoad.await(
            () ->
                turns(profiles, "segment-reevaluation", "elsewhere").get("profile-1")
                        - elsewhereBefore.get("profile-1")
                    > 2,
            "the re-evaluation on profile-1 waits for the lock");
        assertThat(turns(profiles, "segment-reevaluation", "ran")).isEqualTo(ranBefore);
      } finally {
        release(db, ClusterLock.Key.SEGMENT_REEVALUATION);
      }
      SteadyLoad.await(
          () -> sum(turns(profiles, "segment-reevaluation", "ran")) > sum(ranBefore),
          "the re-evaluation once the lock is free");
    } finally {
      given().delete(system.url("profile") + "/api/v1/segments/{id}", segment);
    }
  }

  /**
   * Takes a job's lock for this test's session, as a replica running the job would hold it; a turn
   * of the job running now (e.g. the re-evaluation after the segment fit above) ends first.
   */
  private static void hold(Connection db, ClusterLock.Key key) throws Exception {
    try (PreparedStatement lock = db.prepareStatement("select pg_try_advisory_lock(?)")) {
      lock.setLong(1, key.id());
      SteadyLoad.await(
          () -> {
            try (ResultSet r = lock.executeQuery()) {
              return r.next() && r.getBoolean(1);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          },
          "lock " + key + " taken by the test");
    }
  }

  private static void release(Connection db, ClusterLock.Key key) throws Exception {
    try (PreparedStatement unlock = db.prepareStatement("select pg_advisory_unlock(?)")) {
      unlock.setLong(1, key.id());
      unlock.execute();
    }
  }

  /** Each replica's count of a job's turns with this outcome, from its /q/metrics. */
  private static Map<String, Double> turns(List<String> replicas, String job, String outcome) {
    Pattern line =
        Pattern.compile(
            "(?m)^nextbest_cluster_jobs_total\\{(?=[^}]*job=\""
                + job
                + "\")(?=[^}]*outcome=\""
                + outcome
                + "\")[^}]*\\} (\\S+)$");
    Map<String, Double> out = new HashMap<>();
    for (String replica : replicas) {
      String metrics = given().get(system.url(replica) + "/q/metrics").asString();
      Matcher m = line.matcher(metrics);
      out.put(replica, m.find() ? Double.parseDouble(m.group(1)) : 0);
    }
    return out;
  }

  /** Whether every replica's count grew by more than {@code by}. */
  private static boolean moreThan(Map<String, Double> now, Map<String, Double> before, int by) {
    return now.keySet().stream().allMatch(r -> now.get(r) - before.get(r) > by);
  }

  private static double sum(Map<String, Double> counts) {
    return counts.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  @Test
  @Order(4)
  void aReplicaOfEachServiceKilledMidStreamLosesNothing() throws Exception {
    // the clients spread their calls over the running replicas in turn, as a Service does over its
    // ready endpoints; a call in flight when its replica dies is sent again (to the other)
    AtomicInteger turn = new AtomicInteger();
    Function<String, String> target =
        service -> {
          List<String> live = system.replicas(service).stream().filter(system::running).toList();
          return system.url(live.get(Math.floorMod(turn.getAndIncrement(), live.size())));
        };
    SteadyLoad load = new SteadyLoad(system, target, "replicas-" + RUN + "-load", 24, 100);
    Map<String, Long> recovery = new LinkedHashMap<>();
    try {
      load.start();
      Thread.sleep(CALM_SECONDS * 1000L);
      for (String service : NextBestSystem.PORTS.keySet()) {
        String replica = service + "-1";
        load.progress("kill -9 " + replica);
        system.kill(replica);
        recovery.put(
            "kill -9 " + replica + " (the other serves)", load.readyAfter(System.nanoTime()));
        Thread.sleep(CALM_SECONDS * 1000L);
      }
      // the killed replicas come back together, as a rollout would bring new pods
      long t = System.nanoTime();
      List<CompletableFuture<Void>> restarts = new ArrayList<>();
      for (String service : NextBestSystem.PORTS.keySet()) {
        restarts.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    system.restart(service + "-1");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).get();
      recovery.put("the four killed replicas restarted", (System.nanoTime() - t) / 1_000_000);
      Thread.sleep(CALM_SECONDS * 1000L);
    } finally {
      load.stop();
    }
    Map<String, String> found = load.verify();
    Files.writeString(system.logs().resolve("replicas-report.txt"), load.report(found, recovery));
    load.assertAnswered();

    // every customer's snapshots on the profiles topic in version order, up to the latest
    Map<String, Long> latest = new HashMap<>();
    try (Connection db = profileDb();
        PreparedStatement q =
            db.prepareStatement("select version from customers where customer_id = ?")) {
      for (String c : load.expected.keySet()) {
        q.setString(1, c);
        try (ResultSet r = q.executeQuery()) {
          assertThat(r.next()).as("customer %s stored", c).isTrue();
          latest.put(c, r.getLong(1));
        }
      }
    }
    assertPublishedInVersionOrder(latest);
  }

  private static int post(String url) {
    return given().post(url).then().extract().statusCode();
  }

  private static Connection profileDb() throws Exception {
    return db("nextbest_profile_e2e");
  }

  private static Connection db(String name) throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + IsolatedSystem.pgPort() + "/" + name,
        "nextbest",
        "nextbest");
  }

  /**
   * The versions of each customer's snapshots on the profiles topic, in topic order, read until
   * every customer's latest version is there; the same snapshot delivered twice (at-least-once)
   * counts once, as consumers dedupe by its id.
   */
  private static Map<String, List<Long>> readProfiles(Map<String, Long> latest, Duration timeout)
      throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, isolated.kafka.bootstrap());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, List<Long>> versions = new HashMap<>();
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.PROFILES).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!complete(versions, latest)) {
        assertThat(System.nanoTime()).as("every latest version published").isLessThan(deadline);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() == null || !latest.containsKey(r.key())) {
            continue;
          }
          JsonNode v = JSON.readTree(r.value());
          if (ProfileSnapshot.TYPE.equals(v.path("type").asText())
              && seen.add(v.path("id").asText())) {
            versions
                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(v.path("version").asLong());
          }
        }
      }
    }
    return versions;
  }

  private static boolean complete(Map<String, List<Long>> versions, Map<String, Long> latest) {
    return latest.entrySet().stream()
        .allMatch(
            e -> {
              List<Long> v = versions.get(e.getKey());
              return v != null && v.contains(e.getValue());
            });
  }
}
