package io.nextbest.common.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a whole batch of records through an outgoing channel's Kafka producer in one pass on its
 * sending thread, and completes once the broker acknowledged every one of them (or fails with the
 * first error). A stream that publishes thousands of records per polled batch pays the producer's
 * own cost only, instead of a message, its metadata and a reactive pipeline per record. The channel
 * must be wired (an emitter injected for it) so its producer exists.
 */
@ApplicationScoped
public class BatchSender {
  private final KafkaClientService kafka;

  public BatchSender(KafkaClientService kafka) {
    this.kafka = kafka;
  }

  public Uni<Void> send(String channel, List<ProducerRecord<String, String>> records) {
    if (records.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return kafka
        .<String, String>getProducer(channel)
        .runOnSendingThread(
            producer -> {
              CompletableFuture<Void> acknowledged = new CompletableFuture<>();
              AtomicInteger pending = new AtomicInteger(records.size());
              for (var r : records) {
                producer.send(
                    r,
                    (metadata, failure) -> {
                      if (failure != null) {
                        acknowledged.completeExceptionally(failure);
                      } else if (pending.decrementAndGet() == 0) {
                        acknowledged.complete(null);
                      }
                    });
              }
              return acknowledged;
            })
        .chain(acknowledged -> Uni.createFrom().completionStage(acknowledged));
  }
}
