package io.nextbest.common.health;

import io.nextbest.common.messaging.LazyAdmin;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Kafka broker, answered within {@link #TIMEOUT}. The extension's own check waits
 * for the admin client's default API timeout (a minute) when the broker is gone, which stalls the
 * readiness endpoint; this one asks for the cluster's nodes with a bounded deadline instead.
 */
@Readiness
@ApplicationScoped
public class KafkaBrokerCheck implements AsyncHealthCheck {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final String bootstrapServers;
  private final LazyAdmin admin;

  /**
   * @param kafka the {@code kafka.*} settings every channel starts from (the Kafka client
   *     extension's {@code default-kafka-broker} map), of which the bootstrap servers and the
   *     connection's security settings are used
   */
  public KafkaBrokerCheck(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
    Object servers = kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null) {
      throw new IllegalStateException("kafka.bootstrap.servers is not set");
    }
    this.bootstrapServers = servers.toString();
    this.admin = new LazyAdmin(adminConfig(kafka));
  }

  /**
   * The admin client's settings: the bootstrap servers and the security settings of the channels (a
   * TLS listener with SASL, say), with deadlines bounded by {@link #TIMEOUT}.
   */
  static Map<String, Object> adminConfig(Map<String, Object> kafka) {
    return adminConfig(kafka, "nextbest-readiness");
  }

  /** The same settings for another admin client, named {@code clientId}. */
  public static Map<String, Object> adminConfig(Map<String, Object> kafka, String clientId) {
    Map<String, Object> config = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
            config.put(key, value);
          }
        });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get("bootstrap.servers"));
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    int millis = (int) TIMEOUT.toMillis();
    return Uni.createFrom()
        .completionStage(
            () ->
                admin
                    .get()
                    .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                    .nodes()
                    .toCompletionStage())
        .ifNoItem()
        .after(TIMEOUT.plusMillis(500))
        .fail()
        .map(
            nodes ->
                HealthCheckResponse.named("Kafka broker")
                    .status(!nodes.isEmpty())
                    .withData("nodes", nodes.size())
                    .build())
        .onFailure()
        .recoverWithItem(
            e ->
                HealthCheckResponse.named("Kafka broker")
                    .down()
                    .withData("reason", "no answer from " + bootstrapServers + " within " + TIMEOUT)
                    .build());
  }

  @PreDestroy
  void close() {
    admin.close();
  }
}
