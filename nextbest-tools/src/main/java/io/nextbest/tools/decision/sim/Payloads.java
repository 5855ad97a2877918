package io.nextbest.tools.decision.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The request bodies of the public APIs the simulator calls, built from the simulated world. Every
 * id derives from the run id, the day and the customer, so a retried request repeats its ids and
 * the services store it once.
 */
public final class Payloads {
  /** The channel the simulator's decision requests ask for. */
  static final String CHANNEL = "email";

  private final String runId;
  private final SimConfig config;
  private final List<Customer> customers;
  private final ObjectMapper json;

  public Payloads(String runId, SimConfig config, List<Customer> customers, ObjectMapper json) {
    this.runId = runId;
    this.config = config;
    this.customers = customers;
    this.json = json;
  }

  /** The campaign id the services see: the run id, a dash, the configured id. */
  public String campaignId(int campaign) {
    return runId + "-" + config.campaigns().get(campaign).id();
  }

  /** The index of a campaign id the services answered, or -1 (none or not one of ours). */
  public int campaignIndex(String id) {
    if (id == null) {
      return LocalPolicy.NONE;
    }
    for (int i = 0; i < config.campaigns().size(); i++) {
      if (campaignId(i).equals(id)) {
        return i;
      }
    }
    return LocalPolicy.NONE;
  }

  /** {@code PUT /api/v1/profiles/{id}}: name, time zone and the CRM traits. */
  public ObjectNode profile(Customer c) {
    ObjectNode body = json.createObjectNode();
    ObjectNode a = body.putObject("attributes");
    a.put("name", "Simulated customer " + c.index());
    a.put("timezone", "UTC");
    a.set("traits", json.valueToTree(c.crmTraits()));
    return body;
  }

  /** The visit's events: page views, a cart addition, a site discount code. */
  public List<ObjectNode> visitEvents(Visit v) {
    String customerId = customers.get(v.customer()).id();
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < v.views().size(); i++) {
      Visit.PageView view = v.views().get(i);
      ObjectNode e = event(id("v", v.day(), v.customer()) + "-" + i, customerId, "view", view.at());
      ObjectNode p = e.putObject("properties");
      p.put("sku", view.sku());
      p.put("category", view.category());
      p.put("price", view.price());
      events.add(e);
    }
    if (v.cartAdd() != null) {
      Visit.PageView cart = v.cartAdd();
      ObjectNode e = event(id("a", v.day(), v.customer()), customerId, "add_to_cart", cart.at());
      ObjectNode p = e.putObject("properties");
      p.put("sku", cart.sku());
      p.put("quantity", 1);
      p.put("price", cart.price());
      p.put("category", cart.category());
      events.add(e);
    }
    if (v.siteCodeAt() != null) {
      ObjectNode e =
          event(id("s", v.day(), v.customer()), customerId, "discount_code_used", v.siteCodeAt());
      ObjectNode p = e.putObject("properties");
      p.put("code", "SITE10");
      p.put("discountDepth", 10);
      p.put("source", "site");
      events.add(e);
    }
    return events;
  }

  /**
   * The purchase event; a redeemed campaign discount gives its amount ({@code discount}) and the
   * campaign's code ({@code coupon}), the signal of price sensitivity profile-service reads.
   */
  public ObjectNode purchaseEvent(Purchase purchase) {
    String customerId = customers.get(purchase.customer()).id();
    ObjectNode e =
        event(id("p", purchase.day(), purchase.customer()), customerId, "purchase", purchase.at());
    ObjectNode p = e.putObject("properties");
    p.put("orderId", orderId(purchase));
    p.put("amount", purchase.amount());
    p.put("currency", "EUR");
    ArrayNode items = p.putArray("items");
    for (Purchase.Item it : purchase.items()) {
      ObjectNode item = items.addObject();
      item.put("sku", it.sku());
      item.put("category", it.category());
      item.put("price", it.price());
      item.put("quantity", it.quantity());
    }
    if (purchase.discountDepth() > 0) {
      p.put("discount", Market.cents(purchase.gross() - purchase.amount()));
      p.put("coupon", runId + "-" + purchase.discountCampaign());
    }
    return e;
  }

  /**
   * {@code POST /api/v1/decisions} at the visit's moment, with the candidates (pre-checked, auto
   * priority) and their attributes.
   */
  public ObjectNode decisionRequest(Visit v, List<Integer> candidates) {
    ObjectNode body = json.createObjectNode();
    body.put("customerId", customers.get(v.customer()).id());
    body.put("channel", CHANNEL);
    body.put("at", v.decisionAt().toString());
    ObjectNode context = body.putObject("context");
    context.put("device", v.device());
    context.put("page", v.page());
    context.put("hourOfDay", v.hourOfDay());
    context.put("cartValue", v.cartValue());
    ArrayNode list = body.putArray("candidates");
    for (int k : candidates) {
      CampaignSpec spec = config.campaigns().get(k);
      ObjectNode c = list.addObject();
      c.put("campaignId", campaignId(k));
      c.put("channel", spec.channel());
      c.putNull("placement");
      c.putNull("priority");
      c.put("control", false);
      ObjectNode attributes = c.putObject("attributes");
      if (spec.category() != null) {
        attributes.put("category", spec.category());
      }
      if (spec.discountDepth() > 0) {
        attributes.put("discountDepth", spec.discountDepth());
      }
      ArrayNode tags = attributes.putArray("tags");
      (spec.tags() == null ? List.<String>of() : spec.tags()).forEach(tags::add);
    }
    return body;
  }

  /** A conversion outcome of the purchase's decision, with the purchase's order id. */
  public ObjectNode conversion(Purchase p) {
    ObjectNode o = json.createObjectNode();
    o.put("id", id("conv", p.day(), p.customer()));
    o.put("type", "conversion");
    o.put("customerId", customers.get(p.customer()).id());
    o.put("decisionId", p.decisionId());
    o.put("value", p.amount());
    o.put("orderId", orderId(p));
    o.put("occurredAt", p.at().toString());
    return o;
  }

  /** An unsubscribe outcome of the decision whose send caused it. */
  public ObjectNode unsubscribe(Unsubscribe u) {
    ObjectNode o = json.createObjectNode();
    o.put("id", id("unsub", u.day(), u.customer()));
    o.put("type", "unsubscribe");
    o.put("customerId", customers.get(u.customer()).id());
    o.put("decisionId", u.decisionId());
    o.put("occurredAt", u.at().toString());
    return o;
  }

  /** {@code PUT /api/v1/policies/current/mode}. */
  public ObjectNode modeChange(String mode) {
    ObjectNode o = json.createObjectNode();
    o.put("mode", mode);
    o.put("reason", "simulation");
    return o;
  }

  /** A batch body: {@code {"<field>": [items]}}. */
  public ObjectNode batch(String field, List<ObjectNode> items) {
    ObjectNode body = json.createObjectNode();
    body.putArray(field).addAll(items);
    return body;
  }

  String orderId(Purchase p) {
    return id("o", p.day(), p.customer());
  }

  private String id(String kind, int day, int customer) {
    return runId + "-" + kind + "-d" + day + "-c" + customer;
  }

  private ObjectNode event(String id, String customerId, String type, Instant at) {
    ObjectNode e = json.createObjectNode();
    e.put("eventId", id);
    e.put("customerId", customerId);
    e.put("type", type);
    e.put("occurredAt", at.toString());
    return e;
  }
}
