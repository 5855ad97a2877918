package io.nextbest.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A single-node KRaft broker of the test's own, run from the classpath {@code bin/nextbest infra
 * up} resolved, so a test can kill it (-9) and start it again without touching the shared broker.
 */
final class PrivateKafka implements AutoCloseable {
  private final Path dir;
  private final Path logs;
  private final String classpath;
  private final Path log4jConfig;
  private final int port;
  private final int controllerPort;
  private Process broker;

  PrivateKafka(Path root, Path logs) throws IOException {
    Path cpFile =
        Path.of(
            System.getProperty(
                "nextbest.kafka.classpath",
                root.resolve(".nextbest/kafka/classpath.txt").toString()));
    if (!Files.exists(cpFile)) {
      throw new IllegalStateException("run bin/nextbest infra up first: missing " + cpFile);
    }
    this.classpath = Files.readString(cpFile).trim();
    this.logs = logs;
    this.log4jConfig = root.resolve("bin/kafka/log4j2.xml");
    this.dir = Files.createTempDirectory("nextbest-kafka-");
    this.port = freePort();
    this.controllerPort = freePort();
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  void start() throws Exception {
    Path props = dir.resolve("server.properties");
    if (!Files.exists(props)) {
      Files.writeString(
          props,
          String.join(
              "\n",
              "process.roles=broker,controller",
              "node.id=1",
              "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
              "listeners=PLAINTEXT://127.0.0.1:"
                  + port
                  + ",CONTROLLER://127.0.0.1:"
                  + controllerPort,
              "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
              "controller.listener.names=CONTROLLER",
              "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
              "inter.broker.listener.name=PLAINTEXT",
              "log.dirs=" + dir.resolve("data"),
              "num.partitions=2",
              "offsets.topic.replication.factor=1",
              "offsets.topic.num.partitions=2",
              "transaction.state.log.replication.factor=1",
              "transaction.state.log.min.isr=1",
              "share.coordinator.state.topic.replication.factor=1",
              "share.coordinator.state.topic.min.isr=1",
              "group.initial.rebalance.delay.ms=0",
              "auto.create.topics.enable=true",
              ""));
      Process format =
          java("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", props.toString())
              .redirectOutput(logs.resolve("private-kafka-format.log").toFile())
              .start();
      if (format.waitFor() != 0) {
        throw new IllegalStateException("Kafka storage format failed, see the e2e logs");
      }
    }
    Path log = logs.resolve("private-kafka.log");
    Files.deleteIfExists(log);
    broker = java("kafka.Kafka", props.toString()).redirectOutput(log.toFile()).start();
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(log) && Files.readString(log).contains("Kafka Server started")) {
        return;
      }
      if (!broker.isAlive()) {
        throw new IllegalStateException("private Kafka broker exited, see " + log);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("private Kafka broker did not start, see " + log);
  }

  /** Kills the broker as a crash would (SIGKILL). */
  void kill() throws InterruptedException {
    if (broker != null) {
      broker.destroyForcibly().waitFor();
    }
  }

  private ProcessBuilder java(String main, String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-Dlog4j2.configurationFile=" + log4jConfig,
                "-cp",
                classpath,
                main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  /**
   * A random cluster id in Kafka's base64 form. An id that starts with '-' reads as an option to
   * the storage tool's argument parser, so such ids are drawn again (as Kafka's own generator
   * does).
   */
  private static String clusterId() {
    while (true) {
      UUID u = UUID.randomUUID();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
