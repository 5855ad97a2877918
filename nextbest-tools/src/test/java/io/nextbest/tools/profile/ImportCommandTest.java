package io.nextbest.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events the importer writes into a request body, as the ingest API takes them. */
class ImportCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode written(OnlineRetailOrders.Event e) throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      ImportCommand.write(g, e);
    }
    return JSON.readTree(out.toString());
  }

  @Test
  void aPurchaseCarriesItsOrderAmountCurrencyAndItems() throws Exception {
    JsonNode e =
        written(
            new OnlineRetailOrders.Event(
                "purchase",
                "online-retail:536365",
                "or-17850",
                Instant.parse("2010-12-01T08:26:00Z"),
                "536365",
                new BigDecimal("35.64"),
                List.of(
                    new OnlineRetailOrders.Item(
                        "85123A", "WHITE HANGING HEART", new BigDecimal("2.55"), 6),
                    new OnlineRetailOrders.Item("POST", "", new BigDecimal("20.34"), 1)),
                null));
    assertThat(e.path("eventId").asText()).isEqualTo("online-retail:536365");
    assertThat(e.path("customerId").asText()).isEqualTo("or-17850");
    assertThat(e.path("type").asText()).isEqualTo("purchase");
    assertThat(e.path("occurredAt").asText()).isEqualTo("2010-12-01T08:26:00Z");
    JsonNode p = e.path("properties");
    assertThat(p.path("orderId").asText()).isEqualTo("536365");
    assertThat(p.path("amount").decimalValue()).isEqualByComparingTo("35.64");
    assertThat(p.path("currency").asText()).isEqualTo("GBP");
    assertThat(p.has("reason")).isFalse();
    assertThat(p.path("items")).hasSize(2);
    assertThat(p.path("items").get(0).path("sku").asText()).isEqualTo("85123A");
    assertThat(p.path("items").get(0).path("price").decimalValue()).isEqualByComparingTo("2.55");
    assertThat(p.path("items").get(0).path("quantity").asInt()).isEqualTo(6);
    assertThat(p.path("items").get(1).has("name")).as("an empty name is left out").isFalse();
  }

  @Test
  void aReturnSaysWhyTheMoneyWentBack() throws Exception {
    JsonNode e =
        written(
            new OnlineRetailOrders.Event(
                "return",
                "online-retail:C536379:536365",
                "or-17850",
                Instant.parse("2010-12-01T09:41:00Z"),
                "536365",
                new BigDecimal("15.30"),
                List.of(
                    new OnlineRetailOrders.Item(
                        "85123A", "WHITE HANGING HEART", new BigDecimal("2.55"), 6)),
                "cancelled"));
    assertThat(e.path("type").asText()).isEqualTo("return");
    assertThat(e.path("properties").path("reason").asText()).isEqualTo("cancelled");
    assertThat(e.path("properties").path("orderId").asText()).isEqualTo("536365");
  }
}
