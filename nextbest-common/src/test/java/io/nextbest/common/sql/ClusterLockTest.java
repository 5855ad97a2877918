package io.nextbest.common.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.sql.ClusterLock.Key;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClusterLockTest {
  /** profile-service's erase lock, which keeps its own statements. */
  static final long ERASE_LOCK = 0x6e62_6572_6173_65L;

  @Test
  void everyJobHasALockOfItsOwn() {
    long[] ids = Arrays.stream(Key.values()).mapToLong(Key::id).toArray();
    assertThat(ids).doesNotHaveDuplicates().doesNotContain(ERASE_LOCK);
  }

  @Test
  void learningKeepsTheKeyRunningReplicasAlreadyUse() {
    // a rolling upgrade runs old and new replicas side by side: they must take the same lock
    assertThat(Key.LEARNING.id()).isEqualTo(0x6e6578746265L);
  }

  @Test
  void takesTheLockForTheTransactionWithoutWaiting() {
    assertThat(ClusterLock.TRY_LOCK).contains("pg_try_advisory_xact_lock");
  }
}
