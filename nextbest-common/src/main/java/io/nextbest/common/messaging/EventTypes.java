package io.nextbest.common.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.nextbest.events.EventHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The event type of a Kafka record: written by producers in the {@value EventHeaders#EVENT_TYPE}
 * header, read by consumers from it, and for a record without the header (published before it
 * existed, or by a client that does not set it) from the payload's top-level {@code type} field.
 */
public final class EventTypes {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EventTypes() {}

  /** The record's event type: its header, else its payload's {@code type}; null if neither. */
  public static String of(ConsumerRecord<String, String> record) {
    String type = fromHeaders(record.headers());
    return type != null ? type : fromPayload(record.value());
  }

  /** The type carried in the headers, or null when the header is absent. */
  public static String fromHeaders(Headers headers) {
    Header h = headers == null ? null : headers.lastHeader(EventHeaders.EVENT_TYPE);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * The payload's top-level {@code type} field when it is a string; null for a tombstone, a payload
   * that is not a JSON object, or one without it. Fields are read in order and only until {@code
   * type}: a payload broken after it still answers its type (and fails when read in full).
   */
  public static String fromPayload(String json) {
    if (json == null) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("type".equals(field)) {
          return value == JsonToken.VALUE_STRING ? p.getText() : null;
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Headers naming {@code type}; empty when the type is null. */
  public static Headers headers(String type) {
    RecordHeaders headers = new RecordHeaders();
    if (type != null) {
      headers.add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }
}
