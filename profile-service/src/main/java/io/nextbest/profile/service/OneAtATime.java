package io.nextbest.profile.service;

import io.nextbest.common.sql.ClusterLock;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.ClientErrorException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A job that runs once at a time across every replica: a second request meanwhile, in this process
 * or another one (the job's {@link ClusterLock} is held elsewhere), is a 409.
 */
public final class OneAtATime {
  private final String what;
  private final ClusterLock lock;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param what the job, as the 409 names it ("A CLV fit")
   * @param lock the job's lock across replicas
   */
  public OneAtATime(String what, ClusterLock lock) {
    this.what = what;
    this.lock = lock;
  }

  public <T> Uni<T> run(Supplier<Uni<? extends T>> job) {
    if (!running.compareAndSet(false, true)) {
      return busy();
    }
    return lock.<T>runAlone(job, this::busy).eventually(() -> running.set(false));
  }

  private <T> Uni<T> busy() {
    return Uni.createFrom()
        .failure(new ClientErrorException(what + " is already running; try again shortly.", 409));
  }

  /** Whether {@code e} is the 409 of a job already running. */
  public static boolean isBusy(Throwable e) {
    return e instanceof ClientErrorException c && c.getResponse().getStatus() == 409;
  }
}
