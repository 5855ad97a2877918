package io.nextbest.content.messaging;

import io.nextbest.content.service.EdgeModel;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the model this replica decides with in step with {@code nextbest.models.v1}: every replica
 * reads the topic in a group of its own from its latest record ({@code LatestRecord}).
 */
@ApplicationScoped
public class ModelConsumer {
  private final EdgeModel model;

  public ModelConsumer(EdgeModel model) {
    this.model = model;
  }

  @Incoming("models")
  @Blocking
  public void onSnapshot(byte[] snapshot) {
    if (snapshot != null) {
      model.accept(snapshot);
    }
  }
}
