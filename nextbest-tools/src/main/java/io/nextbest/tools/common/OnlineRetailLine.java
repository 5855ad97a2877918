package io.nextbest.tools.common;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One invoice line of the UCI Online Retail data set: InvoiceNo, StockCode, Description, Quantity,
 * InvoiceDate, UnitPrice, CustomerID, Country. Descriptions may hold quoted commas.
 */
public record OnlineRetailLine(
    String invoice,
    String stockCode,
    String description,
    int quantity,
    LocalDateTime at,
    double unitPrice,
    String customerId,
    String country) {

  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** A sale to a known customer: not a cancellation ("C" invoice), positive quantity and price. */
  public boolean isPurchase() {
    return !customerId.isEmpty() && !invoice.startsWith("C") && quantity > 0 && unitPrice > 0;
  }

  /** Parses a line; null when it is not a well-formed invoice line. */
  public static OnlineRetailLine parse(String line) {
    List<String> f = fields(line);
    if (f.size() != 8) {
      return null;
    }
    try {
      String customer = f.get(6).trim();
      if (customer.endsWith(".0")) {
        customer = customer.substring(0, customer.length() - 2);
      }
      return new OnlineRetailLine(
          f.get(0).trim(),
          f.get(1).trim(),
          f.get(2).trim(),
          Integer.parseInt(f.get(3).trim()),
          LocalDateTime.parse(f.get(4).trim(), AT),
          Double.parseDouble(f.get(5).trim()),
          customer,
          f.get(7).trim());
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  public static List<String> fields(String line) {
    List<String> out = new ArrayList<>(8);
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
