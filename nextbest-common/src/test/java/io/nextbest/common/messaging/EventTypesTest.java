package io.nextbest.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventTypesTest {
  private static ConsumerRecord<String, String> record(String payload, Headers headers) {
    var r = new ConsumerRecord<String, String>("nextbest.events.v1", 0, 0L, "c-1", payload);
    headers.forEach(h -> r.headers().add(h));
    return r;
  }

  @Test
  void theHeaderNamesTheTypeWithoutReadingThePayload() {
    var r = record("not json at all", EventTypes.headers("purchase"));
    assertThat(EventTypes.of(r)).isEqualTo("purchase");
  }

  @Test
  void theHeaderWinsOverThePayload() {
    var r = record("{\"type\":\"view\"}", EventTypes.headers("purchase"));
    assertThat(EventTypes.of(r)).isEqualTo("purchase");
  }

  @Test
  void aRecordWithoutTheHeaderIsTypedByItsPayloadsTopLevelTypeField() {
    var r =
        record(
            "{\"id\":\"e1\",\"properties\":{\"type\":\"purchase\",\"items\":[{\"type\":\"x\"}]},"
                + "\"type\":\"view\",\"customerId\":\"c-1\"}",
            new RecordHeaders());
    assertThat(EventTypes.of(r)).isEqualTo("view");
  }

  @Test
  void theWordPurchaseElsewhereInThePayloadIsNotAPurchase() {
    assertThat(
            EventTypes.fromPayload(
                "{\"id\":\"e2\",\"type\":\"search\",\"properties\":{\"q\":\"purchase\"}}"))
        .isEqualTo("search");
    assertThat(EventTypes.fromPayload("{\"id\":\"e3\",\"note\":\"purchase\"}")).isNull();
  }

  @Test
  void aPayloadBrokenAfterItsTypeStillAnswersIt() {
    assertThat(EventTypes.fromPayload("{\"type\":\"purchase\",\"id\":\"p-1\","))
        .isEqualTo("purchase");
  }

  @Test
  void unreadablePayloadsTombstonesAndNonStringTypesHaveNoType() {
    assertThat(EventTypes.fromPayload(null)).isNull();
    assertThat(EventTypes.fromPayload("{\"broken\": \"x\", ")).isNull();
    assertThat(EventTypes.fromPayload("[\"purchase\"]")).isNull();
    assertThat(EventTypes.fromPayload("\"purchase\"")).isNull();
    assertThat(EventTypes.fromPayload("{\"type\":{\"name\":\"purchase\"}}")).isNull();
    assertThat(EventTypes.fromPayload("")).isNull();
  }

  @Test
  void noTypeMeansNoHeader() {
    assertThat(EventTypes.headers(null).toArray()).isEmpty();
    assertThat(EventTypes.fromHeaders(new RecordHeaders())).isNull();
    assertThat(EventTypes.fromHeaders(null)).isNull();
  }

  @Test
  void theHeaderIsUtf8UnderItsSharedName() {
    Headers h = EventTypes.headers("profile.snapshot");
    assertThat(new String(h.lastHeader(EventHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8))
        .isEqualTo("profile.snapshot");
  }
}
