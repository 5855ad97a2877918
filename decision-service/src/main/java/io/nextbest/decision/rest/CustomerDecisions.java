package io.nextbest.decision.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.repository.OutcomeRepository;
import io.nextbest.events.DecisionTrace;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A customer's latest decisions a page at a time, each with its explanation and outcomes. */
@ApplicationScoped
public class CustomerDecisions {
  /** Outcomes shown per decision at most (a page has at most this times its size). */
  static final int OUTCOMES_PER_DECISION = 20;

  private final DecisionLogRepository log;
  private final OutcomeRepository outcomes;
  private final ObjectMapper mapper;

  public CustomerDecisions(
      DecisionLogRepository log, OutcomeRepository outcomes, ObjectMapper mapper) {
    this.log = log;
    this.outcomes = outcomes;
    this.mapper = mapper;
  }

  /**
   * An outcome of a decision.
   *
   * @param id outcome id
   * @param type impression, open, click, conversion, unsubscribe, complaint or dismiss
   * @param value a conversion's value
   * @param occurredAt when
   * @param orderId a conversion's order
   */
  public record OutcomeView(
      String id, String type, Double value, Instant occurredAt, String orderId) {}

  /**
   * One decision with everything that explains it.
   *
   * @param decisionId decision id
   * @param momentId the moment decided on, null for a real-time request
   * @param campaignId chosen campaign, null for none
   * @param channel its channel
   * @param placement its placement
   * @param propensity probability of the chosen action
   * @param policyVersion the policy that decided
   * @param control held out (a control group or the global control)
   * @param rule how it was decided: model, exploration, manual, control, none
   * @param candidates the eligible campaign ids
   * @param features the explanation: probabilities, priorities, controls, uplift, runner-up, ...
   * @param decidedAt when
   * @param windowDays its attribution window
   * @param conversions orders of the customer within the window so far
   * @param conversionValue their value
   * @param outcomes the outcomes that name this decision (impressions, opens, clicks, ...)
   */
  public record Item(
      String decisionId,
      String momentId,
      String campaignId,
      String channel,
      String placement,
      double propensity,
      String policyVersion,
      boolean control,
      String rule,
      List<String> candidates,
      DecisionTrace features,
      Instant decidedAt,
      int windowDays,
      int conversions,
      double conversionValue,
      List<OutcomeView> outcomes) {}

  /**
   * A page.
   *
   * @param customerId the customer
   * @param items newest first
   * @param next the cursor of the next (older) page, null when this is the last
   */
  public record Page(String customerId, List<Item> items, String next) {}

  public Uni<Page> page(String customerId, String before, int limit) {
    OffsetDateTime at = null;
    String id = null;
    if (before != null && !before.isBlank()) {
      String[] cursor = decode(before);
      at = cursor == null ? null : parse(cursor[0]);
      id = cursor == null ? null : cursor[1];
      if (at == null) {
        throw new InvalidInputException("before", "not a cursor this endpoint gave");
      }
    }
    return log.forCustomer(customerId, at, id, limit + 1)
        .chain(
            rows -> {
              List<Row> list = new ArrayList<>();
              rows.forEach(list::add);
              boolean more = list.size() > limit;
              List<Row> page = more ? list.subList(0, limit) : list;
              String[] ids = page.stream().map(r -> r.getString(0)).toArray(String[]::new);
              Uni<Map<String, List<OutcomeView>>> byDecision =
                  ids.length == 0
                      ? Uni.createFrom().item(Map.of())
                      : outcomes
                          .forDecisions(customerId, ids, ids.length * OUTCOMES_PER_DECISION)
                          .map(
                              o -> {
                                Map<String, List<OutcomeView>> m = new LinkedHashMap<>();
                                for (Row r : o) {
                                  m.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
                                      .add(
                                          new OutcomeView(
                                              r.getString(1),
                                              r.getString(2),
                                              r.getDouble(3),
                                              r.getOffsetDateTime(4).toInstant(),
                                              r.getString(5)));
                                }
                                return m;
                              });
              return byDecision.map(
                  m -> {
                    List<Item> items = new ArrayList<>();
                    for (Row r : page) {
                      items.add(item(r, m.getOrDefault(r.getString(0), List.of())));
                    }
                    Row last = page.isEmpty() ? null : page.get(page.size() - 1);
                    String next =
                        more && last != null
                            ? encode(
                                last.getOffsetDateTime(10).toInstant().toString(),
                                last.getString(0))
                            : null;
                    return new Page(customerId, items, next);
                  });
            });
  }

  private Item item(Row r, List<OutcomeView> outcomes) {
    try {
      List<String> candidates = List.of(mapper.readValue(r.getString(8), String[].class));
      DecisionTrace trace = mapper.readValue(r.getString(9), DecisionTrace.class);
      return new Item(
          r.getString(0),
          r.getString(1),
          r.getString(2),
          r.getString(3),
          r.getString(4),
          r.getDouble(5),
          r.getString(6),
          r.getBoolean(7),
          r.getString(11),
          candidates,
          trace,
          r.getOffsetDateTime(10).toInstant(),
          r.getInteger(14),
          r.getInteger(12),
          r.getDouble(13),
          outcomes);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("decision log row " + r.getString(0) + " is not JSON", e);
    }
  }

  static String encode(String at, String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((at + "\n" + id).getBytes(StandardCharsets.UTF_8));
  }

  static String[] decode(String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int cut = s.indexOf('\n');
      return cut < 0 ? null : new String[] {s.substring(0, cut), s.substring(cut + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static OffsetDateTime parse(String at) {
    try {
      return Instant.parse(at).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
