package io.nextbest.common.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaBrokerCheckConfigTest {

  @Test
  void keepsTheConnectionsSecuritySettingsAndBoundsTheDeadlines() {
    Map<String, Object> config =
        KafkaBrokerCheck.adminConfig(
            Map.of(
                "bootstrap.servers", "nextbest-kafka-bootstrap:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule ...",
                "ssl.truststore.type", "PEM",
                "max.poll.records", 500));

    assertEquals("nextbest-kafka-bootstrap:9093", config.get("bootstrap.servers"));
    assertEquals("SASL_SSL", config.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", config.get("sasl.mechanism"));
    assertEquals("PEM", config.get("ssl.truststore.type"));
    assertEquals(2000, config.get("request.timeout.ms"));
    assertEquals(2000, config.get("default.api.timeout.ms"));
    assertFalse(config.containsKey("max.poll.records"));
  }
}
