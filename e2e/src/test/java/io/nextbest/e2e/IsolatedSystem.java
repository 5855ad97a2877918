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
    this(Map.of());
  }

  /** The same, the services getting these extra environment variables (settings for a test). */
  IsolatedSystem(Map<String, String> settings) throws Exception {
    this(settings, 1);
  }

  /** The same with this many replicas of every service ({@link NextBestSystem#start(int)}). */
  IsolatedSystem(Map<String, String> settings, int replicasPerService) throws Exception {
    NextBestSystem probe = new NextBestSystem();
    Files.createDirectories(probe.logs());
    kafka = new PrivateKafka(probe.root(), probe.logs());
    kafka.start();
    postgres = new TcpProxy(pgPort());
    Map<String, String> env = new java.util.HashMap<>(settings);
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap());
    env.put("NEXTBEST_DB_PORT", String.valueOf(postgres.port()));
    system = new NextBestSystem(env);
    try {
      system.start(replicasPerService);
    } catch (Exception | AssertionError e) {
      close(); // nothing started here outlives a failed start
      throw e;
    }
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
