package io.nextbest.common.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads and writes Kafka payloads as JSON text. Consumers read raw strings and parse here, so a
 * malformed record fails one message (sent to the dead-letter topic) instead of the whole channel.
 */
@ApplicationScoped
public class JsonCodec {
  private final ObjectMapper mapper;

  public JsonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public <T> T read(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new PoisonMessageException(
          "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public <T> T read(String json, com.fasterxml.jackson.core.type.TypeReference<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new PoisonMessageException(
          "not a valid " + type.getType().getTypeName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** A record that can never be processed; it goes to the channel's dead-letter topic. */
  public static class PoisonMessageException extends RuntimeException {
    public PoisonMessageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
