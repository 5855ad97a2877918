package io.nextbest.profile.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import org.junit.jupiter.api.Test;

/** The heap back-pressure reads the old generation only, whichever collector runs. */
class IngestPressureHeapTest {
  @Test
  void youngPoolsOfEveryCollectorAreLeftOut() {
    for (String young :
        new String[] {
          "PS Eden Space",
          "PS Survivor Space",
          "G1 Eden Space",
          "G1 Survivor Space",
          "Eden Space",
          "Survivor Space"
        }) {
      assertThat(IngestPressure.holdsTheLiveSet(young)).as(young).isFalse();
    }
    for (String old :
        new String[] {"PS Old Gen", "G1 Old Gen", "Tenured Gen", "ZGC Old Generation", "ZHeap"}) {
      assertThat(IngestPressure.holdsTheLiveSet(old)).as(old).isTrue();
    }
  }

  @Test
  void thisJvmHasAnOldGenerationPoolAndItsShareIsAFraction() {
    assertThat(
            ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .anyMatch(IngestPressure::holdsTheLiveSet))
        .isTrue();
    System.gc();
    assertThat(IngestPressure.liveHeapShare()).isBetween(0.0, 1.0);
  }
}
