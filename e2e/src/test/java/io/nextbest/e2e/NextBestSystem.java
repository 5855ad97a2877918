package io.nextbest.e2e;

import io.nextbest.common.testing.TestJwt;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four built services as separate processes on the real PostgreSQL (the {@code _e2e} databases)
 * and Kafka, with a Redis of their own so a test may stop and restart it. Started with two replicas
 * per service, each service's port is a balancer in front of its replicas (as a Kubernetes Service
 * is), which the services call each other through.
 */
final class NextBestSystem implements AutoCloseable {
  static final Map<String, Integer> PORTS = new LinkedHashMap<>();

  /** content-service's publishable site key in these runs (no rate limit to speak of). */
  static final String SITE_KEY = "pk_e2e";

  /** The marketer console's port when a test starts it ({@link #startConsole}). */
  static final int CONSOLE_PORT = 18085;

  static {
    PORTS.put("profile", 18081);
    PORTS.put("eligibility", 18082);
    PORTS.put("decision", 18083);
    PORTS.put("content", 18084);
  }

  private final Path root = Path.of(System.getProperty("nextbest.root", "..")).toAbsolutePath();
  private final Path logs = Path.of(System.getProperty("nextbest.logs", "target/e2e-logs"));
  private final Map<String, Process> services = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, List<Integer>> exits = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean closing;
  private final int redisPort;
  private final Map<String, String> env;

  /**
   * The tag of the images the services run from (system property {@code nextbest.images}, set by
   * {@code bin/nextbest test --images}), or null to run the built jars.
   */
  private final String images = blankToNull(System.getProperty("nextbest.images"));

  /** One running process of a service: its name ("profile", or "profile-2" for a replica). */
  private record Instance(String service, int port) {}

  private final Map<String, Instance> instances = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<TcpProxy> balancers = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Process redis;

  NextBestSystem() throws IOException {
    this(Map.of());
  }

  /** A system whose services get these extra environment variables (e.g. other backing ports). */
  NextBestSystem(Map<String, String> env) throws IOException {
    this.env = env;
    try (ServerSocket s = new ServerSocket(0)) {
      redisPort = s.getLocalPort();
    }
  }

  Path root() {
    return root;
  }

  Path logs() {
    return logs;
  }

  private Path publicKey() {
    return logs.resolve("jwt-public.pem");
  }

  /**
   * Creates a real-time e-mail campaign with manual priority 999 and a cap of one send in 30 days
   * for the customers the CEL rule selects.
   */
  void createCappedEmailCampaign(String id, String name, String rule) {
    io.restassured.RestAssured.given()
        .contentType(io.restassured.http.ContentType.JSON)
        .body(
            Map.of(
                "id",
                id,
                "name",
                name,
                "channels",
                java.util.List.of("email"),
                "priority",
                999,
                "trigger",
                Map.of("type", "realtime"),
                "rule",
                rule,
                "cap",
                Map.of("max", 1, "days", 30)))
        .post(url("eligibility") + "/api/v1/campaigns")
        .then()
        .statusCode(201);
  }

  int redisPort() {
    return redisPort;
  }

  /**
   * The base URL of a service (its balancer when it runs replicas), or of one replica by its name
   * ({@link #replicas}).
   */
  String url(String name) {
    Integer port = PORTS.get(name);
    return "http://127.0.0.1:" + (port != null ? port : instances.get(name).port());
  }

  /** The names of a service's replicas ("profile-1", "profile-2"), or just the service's. */
  List<String> replicas(String service) {
    return instances.entrySet().stream()
        .filter(e -> e.getValue().service().equals(service))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  void start() throws Exception {
    start(1);
  }

  /**
   * Starts every service with this many replicas: one on the service's port, or several on ports of
   * their own (the same databases, topics and consumer groups) behind a balancer on it.
   */
  void start(int replicasPerService) throws Exception {
    Files.createDirectories(logs);
    // the services verify admin tokens with this run's key pair; RestAssured sends an admin one
    Files.writeString(publicKey(), TestJwt.publicPem());
    TestJwt.useByDefault("admin", "marketer");
    startRedis();
    for (String service : PORTS.keySet()) {
      if (replicasPerService == 1) {
        instances.put(service, new Instance(service, PORTS.get(service)));
        continue;
      }
      List<Integer> ports = new ArrayList<>();
      for (int r = 1; r <= replicasPerService; r++) {
        int port = TcpProxy.freePort();
        ports.add(port);
        instances.put(service + "-" + r, new Instance(service, port));
      }
      balancers.add(new TcpProxy(PORTS.get(service), ports));
    }
    for (String name : instances.keySet()) {
      launch(name, false);
    }
    // eight JVMs starting at once on two cores take longer than four
    Duration startup = Duration.ofSeconds(120L * replicasPerService);
    for (String name : instances.keySet()) {
      awaitStatus(name, "/q/health/ready", 200, startup);
    }
  }

  /**
   * Starts the marketer console (always from its jar: it has no image) over the services' ports and
   * waits until it is ready; {@link #url} names it "console".
   */
  void startConsole() throws Exception {
    instances.put("console", new Instance("console", CONSOLE_PORT));
    launch("console", false);
    awaitStatus("console", "/q/health/ready", 200, Duration.ofSeconds(120));
  }

  /** kill -9 of one service, or of one replica by its name. */
  void kill(String name) throws InterruptedException {
    Process p = services.remove(name);
    if (p != null) {
      if (images != null) {
        // killing the podman client would leave the container running
        podman("kill", "--signal", "KILL", containerName(name));
      }
      p.destroyForcibly().waitFor();
    }
  }

  /** Whether a service or replica runs (was not killed). */
  boolean running(String name) {
    return services.containsKey(name);
  }

  /** Starts one service (or replica) again and waits until it is ready. */
  void restart(String name) throws Exception {
    launch(name, true);
    // generous: a restart may share the cores with the load and with other restarts
    awaitStatus(name, "/q/health/ready", 200, Duration.ofSeconds(240));
  }

  private void launch(String name, boolean appendLog) throws IOException {
    String service = instances.get(name).service();
    int port = instances.get(name).port();
    List<String> jvmOptions =
        List.of(
            "-Xmx256m",
            "-Dquarkus.http.port=" + port,
            "-Dnextbest.db.suffix=_e2e",
            "-Dnextbest.group.suffix=-e2e",
            // manual priority decides deterministically once the model is live
            "-Dnextbest.decision.initial-mode=live",
            "-Dnextbest.content.site-keys." + SITE_KEY + ".origins=http://127.0.0.1:18084",
            "-Dnextbest.content.site-keys." + SITE_KEY + ".requests-per-second=1000000",
            // the suites call as the site's backend would after signing: ids are trusted here,
            // signatures are tested in content-service's own tests
            "-Dnextbest.content.site-keys." + SITE_KEY + ".trust-unsigned-ids=true");
    ProcessBuilder pb =
        images == null || service.equals("console")
            ? jarProcess(service, jvmOptions)
            : imageProcess(service, name, jvmOptions);
    pb.environment().put("NEXTBEST_REDIS_PORT", String.valueOf(redisPort));
    pb.environment().put("NEXTBEST_PROFILE_PORT", String.valueOf(PORTS.get("profile")));
    pb.environment().put("NEXTBEST_ELIGIBILITY_PORT", String.valueOf(PORTS.get("eligibility")));
    pb.environment().put("NEXTBEST_DECISION_PORT", String.valueOf(PORTS.get("decision")));
    pb.environment().put("NEXTBEST_CONTENT_PORT", String.valueOf(PORTS.get("content")));
    pb.environment()
        .putIfAbsent(
            "KAFKA_BOOTSTRAP_SERVERS",
            System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    pb.environment().put("NEXTBEST_JWT_PUBLIC_KEY", publicKey().toAbsolutePath().toString());
    // content-service merges a visitor's anonymous id at identify() (profile-service's
    // identity:merge scope), as bin/nextbest up issues the services' token
    pb.environment().put("NEXTBEST_SERVICE_TOKEN", TestJwt.token("service", "identity:merge"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    var log = logs.resolve(name + "-service.log").toFile();
    pb.redirectOutput(
        appendLog ? ProcessBuilder.Redirect.appendTo(log) : ProcessBuilder.Redirect.to(log));
    Process started = pb.start();
    services.put(name, started);
    // the supervisor a deployment has (Kubernetes, bin/nextbest up): a service that exits on its
    // own is started again after a pause; kill() and close() take it away first
    started
        .onExit()
        .thenAccept(
            done -> {
              if (closing || services.get(name) != done) {
                return;
              }
              exits
                  .computeIfAbsent(name, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                  .add(done.exitValue());
              try {
                Thread.sleep(2000);
                if (!closing && services.get(name) == done) {
                  launch(name, true);
                }
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start " + service + " again", e);
              }
            });
  }

  /** The service's built fast-jar on this JVM. */
  private ProcessBuilder jarProcess(String service, List<String> jvmOptions) {
    String module = service.equals("console") ? service : service + "-service";
    Path jar = root.resolve(module + "/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build the services first: missing " + jar);
    }
    List<String> command = new ArrayList<>();
    command.add(javaBin());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    return new ProcessBuilder(command);
  }

  /**
   * The service's image (bin/nextbest images) in the foreground on the host network, so it reaches
   * the same PostgreSQL, Redis and Kafka ports; it gets the JVM options through JDK_JAVA_OPTIONS
   * and the environment variables the jar would see, the public key mounted at the same path.
   */
  private ProcessBuilder imageProcess(String service, String name, List<String> jvmOptions) {
    String key = publicKey().toAbsolutePath().toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            "podman",
            "run",
            "--rm",
            "--replace",
            "--name",
            containerName(name),
            "--network",
            "host",
            "--env",
            "NEXTBEST_*",
            "--env",
            "KAFKA_*",
            "--env",
            "QUARKUS_*",
            "--env",
            "JDK_JAVA_OPTIONS=" + String.join(" ", jvmOptions),
            "--volume",
            key + ":" + key + ":ro",
            "localhost/nextbest-" + service + "-service:" + images);
    // a test's own settings, whatever their names, reach the container too
    for (String variable : env.keySet()) {
      pb.command().add(pb.command().size() - 1, "--env");
      pb.command().add(pb.command().size() - 1, variable);
    }
    return withPodmanSettings(pb);
  }

  /**
   * The podman settings and storage bin/nextbest images built the images with (under the checkout's
   * .nextbest/containers), unless the environment names others.
   */
  private ProcessBuilder withPodmanSettings(ProcessBuilder pb) {
    Path containers = root.resolve(".nextbest/containers");
    pb.environment()
        .putIfAbsent("CONTAINERS_CONF", containers.resolve("containers.conf").toString());
    pb.environment()
        .putIfAbsent("CONTAINERS_STORAGE_CONF", containers.resolve("storage.conf").toString());
    return pb;
  }

  /** This system's container of a service: unique per system, as its Redis port is. */
  private String containerName(String service) {
    return "nextbest-e2e-" + service + "-" + redisPort;
  }

  /** Runs podman with these arguments, its output discarded. */
  private Process startPodman(String... args) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    try {
      return withPodmanSettings(new ProcessBuilder(command))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("podman did not run", e);
    }
  }

  /** Runs podman with these arguments and waits for it. */
  private void podman(String... args) throws InterruptedException {
    startPodman(args).waitFor();
  }

  /** Exit codes of a service's own exits (not kills), each followed by a new start. */
  List<Integer> exits(String service) {
    return exits.getOrDefault(service, List.of());
  }

  void startRedis() throws Exception {
    redis =
        new ProcessBuilder(
                "redis-server",
                "--port",
                String.valueOf(redisPort),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("redis.log").toFile())
            .start();
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < end) {
      try (var socket = new java.net.Socket("127.0.0.1", redisPort)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("redis-server did not start on " + redisPort);
  }

  void stopRedis() throws InterruptedException {
    redis.destroyForcibly().waitFor();
  }

  /**
   * Milliseconds until every running service and replica answers the path with the status (failing
   * on timeout).
   */
  long awaitAll(String path, int status, Duration timeout) throws Exception {
    long start = System.nanoTime();
    for (String name : instances.keySet()) {
      if (services.containsKey(name)) { // not killed
        awaitStatus(name, path, status, timeout);
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Polls a path until it answers with the status, failing after the timeout. */
  void awaitStatus(String service, String path, int status, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    int last = -1;
    while (System.nanoTime() < end) {
      last = status(service, path);
      if (last == status) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        service + path + " answered " + last + ", not " + status + " within " + timeout);
  }

  int status(String service, String path) {
    try {
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url(service) + path))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  @Override
  public void close() throws InterruptedException, IOException {
    closing = true;
    if (images != null) {
      // SIGTERM to every container, SIGKILL after the same 20 s grace as the jars get
      List<Process> stops = new ArrayList<>();
      for (String service : services.keySet()) {
        stops.add(startPodman("stop", "-t", "20", containerName(service)));
      }
      for (Process stop : stops) {
        stop.waitFor();
      }
    }
    for (Process p : services.values()) {
      p.destroy();
    }
    for (Process p : services.values()) {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    for (TcpProxy balancer : balancers) {
      balancer.close();
    }
    if (redis != null) {
      redis.destroyForcibly().waitFor();
    }
  }
}
