package io.nextbest.profile.service;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.ClientErrorException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** A job that runs once at a time per instance; a second request meanwhile is a 409. */
public final class OneAtATime {
  private final String what;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param what the job, as the 409 names it ("A CLV fit")
   */
  public OneAtATime(String what) {
    this.what = what;
  }

  public <T> Uni<T> run(Supplier<Uni<? extends T>> job) {
    if (!running.compareAndSet(false, true)) {
      return Uni.createFrom()
          .failure(new ClientErrorException(what + " is already running; try again shortly.", 409));
    }
    return Uni.createFrom().<T>deferred(job).eventually(() -> running.set(false));
  }
}
