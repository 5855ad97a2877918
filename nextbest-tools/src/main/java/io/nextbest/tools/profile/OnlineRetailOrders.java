package io.nextbest.tools.profile;

import io.nextbest.tools.common.OnlineRetailLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the lines of the UCI Online Retail file into the events of an order history: one purchase
 * per invoice (its positive lines), and returns linked to the order they give back. The file marks
 * a cancellation with a "C" invoice and negative quantities but never names the order cancelled, so
 * each cancelled line is linked to the customer's latest earlier invoice holding that stock code;
 * the negative lines of an ordinary invoice are a return on that invoice itself. Lines without a
 * customer id (guest orders) are skipped and counted; malformed lines (unreadable, a negative price
 * or no quantity) are rejected and counted.
 */
public final class OnlineRetailOrders {
  /** Most items one event carries (the ingest API's limit); the amount still counts every line. */
  public static final int MAX_ITEMS = 500;

  static final String CURRENCY = "GBP";

  /** An item of an order or a return: quantity positive. */
  public record Item(String sku, String name, BigDecimal price, int quantity) {}

  /**
   * One event of the history.
   *
   * @param type purchase, return (goods given back) or refund (money only: discounts, fees)
   * @param eventId deterministic: a second import of the file is all duplicates
   * @param orderId the order bought, or the order a return gives back
   * @param amount the order's value, or what a return gives back (positive)
   * @param items the lines, at most {@link #MAX_ITEMS}
   * @param reason why money went back ("cancelled" or "returned"); null for a purchase
   */
  public record Event(
      String type,
      String eventId,
      String customerId,
      Instant at,
      String orderId,
      BigDecimal amount,
      List<Item> items,
      String reason) {}

  /**
   * The file grouped.
   *
   * @param events purchases and returns, in time order (a purchase before its returns)
   * @param guestOrders invoices without a customer id: skipped, or kept as anonymous visitors
   * @param guestLines their lines
   * @param rejectedLines malformed lines
   * @param unlinkedReturns returns whose order is not in the file (bought before it starts)
   * @param cappedOrders events whose items were cut to {@link #MAX_ITEMS}
   * @param latest the latest line's time: the moment the data stands at
   */
  public record Grouped(
      List<Event> events,
      long guestOrders,
      long guestLines,
      long rejectedLines,
      long unlinkedReturns,
      long cappedOrders,
      Instant latest) {

    public long purchases() {
      return events.stream().filter(e -> e.type().equals("purchase")).count();
    }

    public long returns() {
      return events.size() - purchases();
    }
  }

  private final boolean keepGuests;
  private final Map<String, List<OnlineRetailLine>> invoices = new LinkedHashMap<>();
  private final Map<String, Boolean> guestInvoices = new HashMap<>();
  private long guestLines;
  private long rejectedLines;
  private Instant latest;

  /**
   * @param keepGuests keep each guest order as an anonymous visitor of its own ({@code
   *     or-guest-INVOICE}) instead of skipping it
   */
  public OnlineRetailOrders(boolean keepGuests) {
    this.keepGuests = keepGuests;
  }

  /** Takes one line of the file (the header excluded). */
  public void add(String line) {
    OnlineRetailLine r = OnlineRetailLine.parse(line);
    if (r == null || r.unitPrice() < 0 || r.quantity() == 0 || r.invoice().isEmpty()) {
      rejectedLines++;
      return;
    }
    Instant at = r.at().toInstant(ZoneOffset.UTC);
    if (latest == null || at.isAfter(latest)) {
      latest = at;
    }
    if (r.customerId().isEmpty()) {
      guestLines++;
      guestInvoices.put(r.invoice(), true);
      if (!keepGuests) {
        return;
      }
      r =
          new OnlineRetailLine(
              r.invoice(),
              r.stockCode(),
              r.description(),
              r.quantity(),
              r.at(),
              r.unitPrice(),
              "guest-" + r.invoice().replaceFirst("^C", ""),
              r.country());
    }
    invoices.computeIfAbsent(r.invoice(), k -> new ArrayList<>()).add(r);
  }

  /** The events of the lines taken. */
  public Grouped group() {
    // (customer, stock code) -> the customer's invoices with that code, in time order
    Map<String, List<OnlineRetailLine>> bought = new HashMap<>();
    List<Event> events = new ArrayList<>();
    long[] capped = {0};
    for (List<OnlineRetailLine> lines : invoices.values()) {
      OnlineRetailLine first = lines.get(0);
      if (first.invoice().startsWith("C")) {
        continue;
      }
      List<OnlineRetailLine> sold = lines.stream().filter(l -> l.quantity() > 0).toList();
      List<OnlineRetailLine> back = lines.stream().filter(l -> l.quantity() < 0).toList();
      if (!sold.isEmpty()) {
        events.add(
            event(
                "purchase",
                "online-retail:" + first.invoice(),
                first.invoice(),
                sold,
                null,
                capped));
        for (OnlineRetailLine l : sold) {
          bought.computeIfAbsent(key(l), k -> new ArrayList<>()).add(l);
        }
      }
      if (!back.isEmpty()) {
        events.add(
            event(
                returnType(back),
                "online-retail:" + first.invoice() + ":return",
                first.invoice(),
                back,
                "returned",
                capped));
      }
    }
    bought.values().forEach(l -> l.sort(Comparator.comparing(OnlineRetailLine::at)));
    long unlinked = 0;
    for (List<OnlineRetailLine> lines : invoices.values()) {
      OnlineRetailLine first = lines.get(0);
      if (!first.invoice().startsWith("C")) {
        continue;
      }
      // the cancelled lines by the order each gives back; null: no earlier order of that stock
      Map<String, List<OnlineRetailLine>> byOrder = new LinkedHashMap<>();
      for (OnlineRetailLine l : lines) {
        byOrder.computeIfAbsent(order(bought.get(key(l)), l), k -> new ArrayList<>()).add(l);
      }
      for (var e : byOrder.entrySet()) {
        String order = e.getKey() == null ? first.invoice() : e.getKey();
        if (e.getKey() == null) {
          unlinked++;
        }
        events.add(
            event(
                returnType(e.getValue()),
                "online-retail:" + first.invoice() + ":" + order,
                order,
                e.getValue(),
                "cancelled",
                capped));
      }
    }
    // time order; at the same moment a purchase comes before the returns of it
    events.sort(
        Comparator.comparing(Event::at)
            .thenComparing(e -> e.type().equals("purchase") ? 0 : 1)
            .thenComparing(Event::eventId));
    return new Grouped(
        events, guestInvoices.size(), guestLines, rejectedLines, unlinked, capped[0], latest);
  }

  private static String key(OnlineRetailLine l) {
    return l.customerId() + "|" + l.stockCode();
  }

  /** The latest earlier invoice of that customer holding the line's stock code, or null. */
  static String order(List<OnlineRetailLine> bought, OnlineRetailLine cancelled) {
    if (bought == null) {
      return null;
    }
    String found = null;
    for (OnlineRetailLine b : bought) {
      if (b.at().isAfter(cancelled.at())) {
        break;
      }
      found = b.invoice();
    }
    return found;
  }

  /** A refund when no line is a product (discounts, postage, fees, manual adjustments). */
  static String returnType(List<OnlineRetailLine> lines) {
    for (OnlineRetailLine l : lines) {
      if (!l.stockCode().isEmpty() && Character.isDigit(l.stockCode().charAt(0))) {
        return "return";
      }
    }
    return "refund";
  }

  private static Event event(
      String type,
      String eventId,
      String orderId,
      List<OnlineRetailLine> lines,
      String reason,
      long[] capped) {
    OnlineRetailLine first = lines.get(0);
    BigDecimal amount = BigDecimal.ZERO;
    List<Item> items = new ArrayList<>(Math.min(lines.size(), MAX_ITEMS));
    Instant at = first.at().toInstant(ZoneOffset.UTC);
    for (OnlineRetailLine l : lines) {
      BigDecimal price = BigDecimal.valueOf(l.unitPrice());
      int quantity = Math.abs(l.quantity());
      amount = amount.add(price.multiply(BigDecimal.valueOf(quantity)));
      if (items.size() < MAX_ITEMS) {
        items.add(new Item(l.stockCode(), l.description(), price, quantity));
      }
      Instant lineAt = l.at().toInstant(ZoneOffset.UTC);
      if (lineAt.isBefore(at)) {
        at = lineAt;
      }
    }
    if (lines.size() > MAX_ITEMS) {
      capped[0]++;
    }
    return new Event(
        type,
        eventId,
        "or-" + first.customerId(),
        at,
        orderId,
        amount.setScale(2, RoundingMode.HALF_UP),
        items,
        reason);
  }
}
