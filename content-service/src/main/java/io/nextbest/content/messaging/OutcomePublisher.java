package io.nextbest.content.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/** Outcomes onto {@code nextbest.outcomes.v1}, keyed by customer. */
@ApplicationScoped
public class OutcomePublisher {
  private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  private final MutinyEmitter<String> outcomes;
  private final JsonCodec json;

  public OutcomePublisher(
      @Channel("outcomes-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
          MutinyEmitter<String> outcomes,
      JsonCodec json) {
    this.outcomes = outcomes;
    this.json = json;
  }

  /** Completes when the broker has the outcome; fails with a 503 problem when it does not. */
  public Uni<Void> publish(Outcome o) {
    return outcomes
        .sendMessage(KeyedMessages.keyed(o.customerId(), json.write(o)))
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
}
