package io.nextbest.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** End-to-end tests against the four services started once for the test class. */
abstract class RunningSystem {
  static NextBestSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    system = new NextBestSystem();
    system.start();
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (system != null) {
      system.close();
      system = null;
    }
  }
}
