package io.nextbest.e2e;

import java.nio.file.Files;
import java.util.Map;

/**
 * The four services with a Kafka broker and a PostgreSQL proxy of their own, so a test may crash
 * the broker and cut the database off without touching the machine's shared ones.
 */
final class IsolatedSystem implements AutoCloseable {
  final PrivateKafka kafka;
  final TcpProxy postgres;
  final NextBestSystem system;

  IsolatedSystem() throws Exception {
    NextBestSystem probe = new NextBestSystem();
    Files.createDirectories(probe.logs());
    kafka = new PrivateKafka(probe.root(), probe.logs());
    kafka.start();
    postgres = new TcpProxy(pgPort());
    system =
        new NextBestSystem(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap(),
                "NEXTBEST_DB_PORT", String.valueOf(postgres.port())));
    system.start();
  }

  /** The machine's PostgreSQL port, which the proxy forwards to. */
  static int pgPort() {
    return Integer.parseInt(System.getProperty("nextbest.pg.port", "5432"));
  }

  @Override
  public void close() throws Exception {
    system.close();
    postgres.close();
    kafka.close();
  }
}
