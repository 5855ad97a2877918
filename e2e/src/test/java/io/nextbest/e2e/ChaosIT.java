package io.nextbest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults under a {@link SteadyLoad} with exact counts: kill -9 of each service and its restart, a
 * Kafka broker crash and restart, Redis flushed and then stopped, PostgreSQL cut off. Afterwards
 * nothing accepted is missing or counted twice, the frequency caps agree with the sends, and every
 * service is ready again. It prints what was sent and found and each fault's recovery time.
 *
 * <p>CI runs the short form; {@code bin/nextbest chaos} runs a longer one ({@code
 * -Dchaos.calm-seconds}, {@code -Dchaos.outage-seconds}, {@code -Dchaos.customers}, {@code
 * -Dchaos.event-pause-ms}).
 */
class ChaosIT extends IsolatedSystemTest {
  static final int CALM = Integer.getInteger("chaos.calm-seconds", 3);
  static final int OUTAGE = Integer.getInteger("chaos.outage-seconds", 3);
  static final int CUSTOMERS = Integer.getInteger("chaos.customers", 40);
  static final int EVENT_PAUSE_MS = Integer.getInteger("chaos.event-pause-ms", 100);
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  final SteadyLoad load =
      new SteadyLoad(system, system::url, "chaos-" + RUN, CUSTOMERS, EVENT_PAUSE_MS);

  /** The campaign goes: later test classes share these databases. */
  @AfterEach
  void deleteCampaign() {
    load.deleteCampaign();
  }

  @Test
  void nothingAcceptedIsLostOrCountedTwiceThroughCrashesAndOutages() throws Exception {
    load.start();
    Map<String, Long> recovery = new LinkedHashMap<>();
    try {
      calm();
      for (String service : NextBestSystem.PORTS.keySet()) {
        load.progress("kill -9 " + service + "-service");
        system.kill(service);
        long t = System.nanoTime();
        system.restart(service);
        recovery.put("kill -9 " + service + "-service", load.readyAfter(t));
        calm();
      }
      outage(recovery, "Kafka broker crash", kafka::kill, kafka::start);
      load.progress("Redis flushed");
      redisCli("FLUSHALL");
      recovery.put("Redis flushed", load.readyAfter(System.nanoTime()));
      calm();
      outage(recovery, "Redis stopped", system::stopRedis, system::startRedis);
      outage(recovery, "PostgreSQL cut off", postgres::cut, postgres::restore);
    } finally {
      load.stop();
    }

    System.out.println("load stopped; waiting for the system to settle and comparing");
    Map<String, String> found = load.verify();
    Files.writeString(system.logs().resolve("chaos-report.txt"), load.report(found, recovery));
    load.assertAnswered();
  }

  private void redisCli(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(system.redisPort())));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(new String(p.getInputStream().readAllBytes()).trim()).isEqualTo("OK");
    p.waitFor();
  }

  interface Step {
    void run() throws Exception;
  }

  /** A backing service down for {@link #OUTAGE} seconds under load, then back, then calm. */
  private void outage(Map<String, Long> recovery, String fault, Step down, Step up)
      throws Exception {
    load.progress(fault);
    down.run();
    Thread.sleep(OUTAGE * 1000L);
    long t = System.nanoTime();
    up.run();
    recovery.put(fault + " (" + OUTAGE + " s)", load.readyAfter(t));
    calm();
  }

  private static void calm() throws InterruptedException {
    Thread.sleep(CALM * 1000L);
  }
}
