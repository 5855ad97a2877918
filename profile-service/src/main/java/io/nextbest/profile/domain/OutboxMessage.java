package io.nextbest.profile.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A message waiting in the transactional outbox for the relay to publish it. */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String topic;

  @Column(name = "message_key", nullable = false)
  public String messageKey;

  /** The message; null for a tombstone. */
  public String payload;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  public static OutboxMessage of(String topic, String key, String payload) {
    OutboxMessage m = new OutboxMessage();
    m.topic = topic;
    m.messageKey = key;
    m.payload = payload;
    m.createdAt = Instant.now();
    return m;
  }
}
