package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  /** The ids profile-service accepts (EventValidator). */
  private static final String ID = "[\\p{Alnum}._:@+\\-]{1,128}";

  /** The fields profile-service's EventSchemas allows for the known types the simulator sends. */
  private static final Map<String, Set<String>> KNOWN =
      Map.of(
          "view", Set.of("sku", "category", "url", "title", "price", "placement"),
          "add_to_cart", Set.of("sku", "quantity", "price", "category"),
          "purchase", Set.of("orderId", "amount", "currency", "items", "discount", "coupon"));

  private static final Set<String> ITEM = Set.of("sku", "name", "category", "price", "quantity");

  private final ObjectMapper json = new ObjectMapper();
  private final SimConfig config = Worlds.defaults(200, 20);
  private final RandomStreams streams = new RandomStreams(42);
  private final List<Customer> customers = Population.draw(config, streams, "run1-");
  private final Payloads payloads = new Payloads("run1", config, customers, json);

  @Test
  void theDecisionRequestCarriesTheMomentAndTheCandidatesAttributes() {
    Market m = new Market(config, customers, streams, Worlds.START);
    Visit v = m.visits(3).get(0);
    JsonNode body = payloads.decisionRequest(v, List.of(0, 2, 3));
    assertThat(body.get("customerId").asText()).isEqualTo(customers.get(v.customer()).id());
    assertThat(body.get("channel").asText()).isEqualTo("email");
    assertThat(Instant.parse(body.get("at").asText())).isEqualTo(v.decisionAt());
    JsonNode context = body.get("context");
    assertThat(context.get("device").asText()).isEqualTo(v.device());
    assertThat(context.get("page").asText()).isEqualTo(v.page());
    assertThat(context.get("hourOfDay").asInt()).isEqualTo(v.hourOfDay()).isBetween(0, 23);
    assertThat(context.get("cartValue").asDouble()).isEqualTo(v.cartValue());
    JsonNode candidates = body.get("candidates");
    assertThat(candidates).hasSize(3);
    JsonNode shoes = candidates.get(0);
    assertThat(shoes.get("campaignId").asText()).isEqualTo("run1-sim-shoes");
    assertThat(shoes.get("channel").asText()).isEqualTo("email");
    assertThat(shoes.get("placement").isNull()).isTrue();
    assertThat(shoes.get("priority").isNull()).isTrue();
    assertThat(shoes.get("control").asBoolean()).isFalse();
    assertThat(shoes.get("attributes").get("category").asText()).isEqualTo("shoes");
    assertThat(shoes.get("attributes").has("discountDepth")).isFalse();
    JsonNode discount = candidates.get(1).get("attributes");
    assertThat(discount.get("discountDepth").asInt()).isEqualTo(20);
    assertThat(discount.get("tags").toString()).isEqualTo("[\"promo\",\"discount\"]");
    assertThat(candidates.get(2).get("channel").asText()).isEqualTo("push");
  }

  @Test
  void answeredCampaignIdsMapBackToTheirCampaign() {
    for (int k = 0; k < config.campaigns().size(); k++) {
      assertThat(payloads.campaignIndex(payloads.campaignId(k))).isEqualTo(k);
    }
    assertThat(payloads.campaignIndex(null)).isEqualTo(LocalPolicy.NONE);
    assertThat(payloads.campaignIndex("other-sim-shoes")).isEqualTo(LocalPolicy.NONE);
  }

  @Test
  void everyEventFitsTheIngestSchemaAndIdsRepeat() {
    Instant start = LiveRun.startFor(config.days(), LocalDate.now(ZoneOffset.UTC));
    Market m = new Market(config, customers, streams, start);
    List<ObjectNode> events = new ArrayList<>();
    Set<String> types = new HashSet<>();
    for (int day = 0; day < config.days(); day++) {
      for (Visit v : m.visits(day)) {
        events.addAll(payloads.visitEvents(v));
        assertThat(payloads.visitEvents(v)).isEqualTo(payloads.visitEvents(v));
        m.send(v, 2, "d-" + day); // the discount campaign: redeemed discounts appear
      }
      m.closeDay(day).forEach(p -> events.add(payloads.purchaseEvent(p)));
    }
    Set<String> ids = new HashSet<>();
    int discounted = 0;
    for (ObjectNode e : events) {
      types.add(e.get("type").asText());
      assertThat(e.get("eventId").asText()).matches(ID);
      assertThat(ids.add(e.get("eventId").asText())).as("unique id").isTrue();
      assertThat(e.get("customerId").asText()).matches(ID);
      assertThat(Instant.parse(e.get("occurredAt").asText())).isBefore(Instant.now());
      Set<String> allowed = KNOWN.get(e.get("type").asText());
      if (allowed != null) {
        e.get("properties").fieldNames().forEachRemaining(f -> assertThat(allowed).contains(f));
      }
      if (e.get("type").asText().equals("purchase")) {
        JsonNode p = e.get("properties");
        double items = 0;
        for (JsonNode item : p.get("items")) {
          item.fieldNames().forEachRemaining(f -> assertThat(ITEM).contains(f));
          items += item.get("price").asDouble() * item.get("quantity").asInt();
        }
        double discount = p.path("discount").asDouble(0);
        assertThat(p.get("amount").asDouble() + discount).isCloseTo(items, within(0.011));
        discounted += discount > 0 ? 1 : 0;
      }
    }
    assertThat(types).contains("view", "add_to_cart", "purchase", "discount_code_used");
  }

  @Test
  void aDiscountedPurchaseCarriesItsDiscountAndTheCampaignsCoupon() {
    Purchase p =
        new Purchase(
            5,
            2,
            Worlds.START.plusSeconds(3600),
            100,
            80,
            20,
            "sim-discount20",
            List.of(new Purchase.Item("sku-shoes-1", "shoes", 100, 1)),
            true,
            "d:1",
            true);
    JsonNode purchase = payloads.purchaseEvent(p).get("properties");
    assertThat(purchase.get("amount").asDouble()).isEqualTo(80);
    assertThat(purchase.get("discount").asDouble()).isCloseTo(20, within(1e-9));
    assertThat(purchase.get("coupon").asText()).isEqualTo("run1-sim-discount20");
  }

  @Test
  void aConversionOutcomeCarriesThePurchasesOrderId() {
    Purchase p =
        new Purchase(
            5,
            2,
            Worlds.START.plusSeconds(3600),
            42.5,
            42.5,
            0,
            null,
            List.of(new Purchase.Item("sku-bags-1", "bags", 42.5, 1)),
            true,
            "d:abc",
            true);
    JsonNode o = payloads.conversion(p);
    assertThat(o.get("type").asText()).isEqualTo("conversion");
    assertThat(o.get("decisionId").asText()).isEqualTo("d:abc");
    assertThat(o.get("value").asDouble()).isEqualTo(42.5);
    assertThat(o.get("orderId").asText())
        .isEqualTo(payloads.purchaseEvent(p).get("properties").get("orderId").asText());
    assertThat(o.get("customerId").asText()).isEqualTo(customers.get(5).id());
    assertThat(o.get("id").asText()).matches(ID);

    JsonNode u = payloads.unsubscribe(new Unsubscribe(5, 2, Worlds.START, "email", "d:abc"));
    assertThat(u.get("type").asText()).isEqualTo("unsubscribe");
    assertThat(u.get("decisionId").asText()).isEqualTo("d:abc");
    assertThat(u.get("id").asText()).isNotEqualTo(o.get("id").asText());
  }

  @Test
  void theProfileHoldsNameTimezoneAndCrmTraitsOnly() {
    JsonNode body = payloads.profile(customers.get(0));
    JsonNode a = body.get("attributes");
    assertThat(a.get("timezone").asText()).isEqualTo("UTC");
    assertThat(a.get("name").asText()).isNotBlank();
    assertThat(a.get("traits").has("ageBand")).isTrue();
    assertThat(a.get("traits").has("vip")).isTrue();
    // the truth the services must learn stays hidden
    assertThat(a.get("traits").has("favourite")).isFalse();
    assertThat(a.get("traits").has("priceSensitivity")).isFalse();
  }
}
