package io.nextbest.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that run against one {@link IsolatedSystem}, started once for the class. */
abstract class IsolatedSystemTest {
  static IsolatedSystem isolated;
  static PrivateKafka kafka;
  static TcpProxy postgres;
  static NextBestSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    isolated = new IsolatedSystem();
    kafka = isolated.kafka;
    postgres = isolated.postgres;
    system = isolated.system;
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (isolated != null) {
      isolated.close();
      isolated = null;
    }
  }
}
