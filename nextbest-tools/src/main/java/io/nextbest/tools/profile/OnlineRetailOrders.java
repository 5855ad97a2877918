package io.nextbest.tools.profile;

import io.nextbest.tools.common.OnlineRetailLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * Invoices kept open at once: an invoice is closed (its events made) once this many newer ones
   * have started. The file's invoices are adjacent but for a few split by a handful of lines (one
   * of 25,900, six lines apart), and its lines are in time order.
   */
  static final int OPEN_INVOICES = 64;

  /** An earlier order holding a stock code: what a cancellation is linked to. */
  private record Bought(String invoice, LocalDateTime at) {}

  private final boolean keepGuests;
  private final LinkedHashMap<String, List<OnlineRetailLine>> open = new LinkedHashMap<>();
  // invoices already closed: a part of one that comes back later is an event of its own
  private final Map<String, Integer> closed = new HashMap<>();
  // (customer, stock code) -> the customer's closed invoices with that code, in file (time) order
  private final Map<String, List<Bought>> bought = new HashMap<>();
  private final Set<String> guestInvoices = new HashSet<>();
  private final List<Event> ready = new ArrayList<>();
  private long guestLines;
  private long rejectedLines;
  private long unlinked;
  private long capped;
  private Instant latest;

  /**
   * @param keepGuests keep each guest order as an anonymous visitor of its own ({@code
   *     or-guest-INVOICE}) instead of skipping it
   */
  public OnlineRetailOrders(boolean keepGuests) {
    this.keepGuests = keepGuests;
  }

  /**
   * Takes one line of the file (the header excluded). The events of the invoices it closes are then
   * waiting in {@link #drain()}, so a file is sent while it is read. Beyond the open invoices, what
   * is kept grows with the invoices, not with the lines: the ids of those already closed and the
   * index of earlier orders that cancellations are linked to.
   */
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
      guestInvoices.add(r.invoice());
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
    List<OnlineRetailLine> lines = open.get(r.invoice());
    if (lines == null) {
      lines = new ArrayList<>();
      open.put(r.invoice(), lines);
      if (open.size() > OPEN_INVOICES) {
        closeEldest();
      }
    }
    lines.add(r);
  }

  /** The events made since the last call, in the file's order; the caller takes them. */
  public List<Event> drain() {
    if (ready.isEmpty()) {
      return List.of();
    }
    List<Event> out = new ArrayList<>(ready);
    ready.clear();
    return out;
  }

  /** Closes every invoice still open: the file has ended. */
  public void finish() {
    while (!open.isEmpty()) {
      closeEldest();
    }
  }

  /**
   * The counts so far, without events (they are taken by {@link #drain()}); call {@link #finish()}
   * first for those of the whole file.
   */
  public Grouped totals() {
    return new Grouped(
        List.of(), guestInvoices.size(), guestLines, rejectedLines, unlinked, capped, latest);
  }

  /** Every event of the lines taken, in time order (a purchase before its returns). */
  public Grouped group() {
    finish();
    List<Event> events = drain();
    events.sort(
        Comparator.comparing(Event::at)
            .thenComparing(e -> e.type().equals("purchase") ? 0 : 1)
            .thenComparing(Event::eventId));
    return new Grouped(
        events, guestInvoices.size(), guestLines, rejectedLines, unlinked, capped, latest);
  }

  private void closeEldest() {
    var eldest = open.entrySet().iterator();
    var e = eldest.next();
    eldest.remove();
    int part = closed.merge(e.getKey(), 1, Integer::sum);
    String id = "online-retail:" + e.getKey() + (part == 1 ? "" : ":part" + part);
    if (e.getKey().startsWith("C")) {
      cancellation(e.getValue(), id);
    } else {
      invoice(e.getValue(), id);
    }
  }

  /** An ordinary invoice: its positive lines a purchase, its negative ones a return of it. */
  private void invoice(List<OnlineRetailLine> lines, String id) {
    String invoice = lines.get(0).invoice();
    List<OnlineRetailLine> sold = lines.stream().filter(l -> l.quantity() > 0).toList();
    List<OnlineRetailLine> back = lines.stream().filter(l -> l.quantity() < 0).toList();
    if (!sold.isEmpty()) {
      ready.add(event("purchase", id, invoice, sold, null));
      for (OnlineRetailLine l : sold) {
        bought.computeIfAbsent(key(l), k -> new ArrayList<>()).add(new Bought(invoice, l.at()));
      }
    }
    if (!back.isEmpty()) {
      ready.add(event(returnType(back), id + ":return", invoice, back, "returned"));
    }
  }

  /** A cancellation: its lines by the earlier order each gives back. */
  private void cancellation(List<OnlineRetailLine> lines, String id) {
    String invoice = lines.get(0).invoice();
    // the cancelled lines by the order each gives back; null: no earlier order of that stock
    Map<String, List<OnlineRetailLine>> byOrder = new LinkedHashMap<>();
    for (OnlineRetailLine l : lines) {
      byOrder.computeIfAbsent(order(bought.get(key(l)), l), k -> new ArrayList<>()).add(l);
    }
    for (var e : byOrder.entrySet()) {
      String order = e.getKey() == null ? invoice : e.getKey();
      if (e.getKey() == null) {
        unlinked++;
      }
      ready.add(
          event(returnType(e.getValue()), id + ":" + order, order, e.getValue(), "cancelled"));
    }
  }

  private static String key(OnlineRetailLine l) {
    return l.customerId() + "|" + l.stockCode();
  }

  /** The latest earlier invoice of that customer holding the line's stock code, or null. */
  private static String order(List<Bought> bought, OnlineRetailLine cancelled) {
    if (bought == null) {
      return null;
    }
    String found = null;
    for (Bought b : bought) {
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

  private Event event(
      String type, String eventId, String orderId, List<OnlineRetailLine> lines, String reason) {
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
      capped++;
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
