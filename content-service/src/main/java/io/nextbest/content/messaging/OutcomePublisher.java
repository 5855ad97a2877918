package io.nextbest.content.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.content.ContentConfig;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Outcomes onto {@code nextbest.outcomes.v1}, keyed by customer. At most {@code
 * nextbest.content.outcomes-in-flight} outcomes wait for the broker at once (in the emitter's
 * buffer, the Kafka sink or the producer); beyond it an outcome fails at once, as it would when the
 * broker does not answer, instead of piling up in the heap.
 */
@ApplicationScoped
public class OutcomePublisher {
  private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  private final MutinyEmitter<String> outcomes;
  private final JsonCodec json;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  public OutcomePublisher(
      @Channel("outcomes-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
          MutinyEmitter<String> outcomes,
      JsonCodec json,
      ContentConfig config) {
    this.outcomes = outcomes;
    this.json = json;
    this.maxInFlight = config.outcomesInFlight();
  }

  /** Completes when the broker has the outcome; fails with a 503 problem when it does not. */
  public Uni<Void> publish(Outcome o) {
    return Uni.createFrom()
        .deferred(() -> Uni.createFrom().completionStage(send(o)))
        .ifNoItem()
        .after(PUBLISH_TIMEOUT)
        .fail()
        .onFailure()
        .transform(f -> new BackingServiceUnavailableException("kafka", f));
  }

  /** Sends without waiting for the broker; a failure is logged. */
  public void publishAndForget(Outcome o) {
    publish(o)
        .subscribe()
        .with(v -> {}, f -> LOG.warnf("outcome %s not published: %s", o.id(), f.getMessage()));
  }

  /** Outcomes sent and not yet acknowledged or refused by the broker. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Hands the outcome to the emitter unless the bound is reached. The slot is freed when the broker
   * acknowledges or refuses it, not when a caller stops waiting: the caller gets a copy of the
   * result, so its time-out leaves the send (and its count) in place.
   */
  private CompletableFuture<Void> send(Outcome o) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(
          new IllegalStateException(maxInFlight + " outcomes are already waiting for the broker"));
    }
    CompletableFuture<Void> sent;
    try {
      sent =
          outcomes
              .sendMessage(KeyedMessages.keyed(o.customerId(), json.write(o)))
              .subscribeAsCompletionStage();
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((v, f) -> inFlight.decrementAndGet());
    return sent.copy();
  }
}
