package io.nextbest.profile.features;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts purchase amounts to the base currency with fixed rates (units of the base per unit of
 * each accepted currency). The base converts to itself unchanged; a currency without a rate is not
 * accepted, so amounts of different currencies are never added up as they are.
 */
public final class Currencies {
  private final String base;
  private final Map<String, BigDecimal> rates;

  public Currencies(String base, Map<String, BigDecimal> rates) {
    this.base = base.toUpperCase(Locale.ROOT);
    Map<String, BigDecimal> accepted = new TreeMap<>();
    rates.forEach(
        (code, rate) -> {
          if (rate == null || rate.signum() <= 0) {
            throw new IllegalArgumentException(
                "nextbest.currency.rates." + code + " must be a positive number");
          }
          accepted.put(code.toUpperCase(Locale.ROOT), rate);
        });
    accepted.put(this.base, BigDecimal.ONE);
    this.rates = Map.copyOf(accepted);
  }

  /** The base currency's ISO 4217 code. */
  public String base() {
    return base;
  }

  /** Whether amounts in this currency (null: the base) can be converted. */
  public boolean accepts(String currency) {
    return currency == null || rates.containsKey(currency);
  }

  /** The accepted currencies, sorted, e.g. "EUR, GBP, USD". */
  public String accepted() {
    return String.join(", ", new TreeMap<>(rates).keySet());
  }

  /** The amount in the base currency (cents kept, half even); the base's amounts unchanged. */
  public BigDecimal toBase(BigDecimal amount, String currency) {
    if (currency == null || currency.equals(base)) {
      return amount;
    }
    BigDecimal rate = rates.get(currency);
    if (rate == null) {
      throw new IllegalArgumentException("no rate for " + currency);
    }
    return amount.multiply(rate).setScale(Math.max(2, amount.scale()), RoundingMode.HALF_EVEN);
  }

  /**
   * A purchase's or return's fields with {@code amount} in the base currency and {@code currency}
   * the base; any other event's fields as they are.
   */
  public Map<String, Object> inBase(String type, Map<String, Object> props) {
    if (!EventFacts.carriesAmount(type)
        || !(props.get("currency") instanceof String currency)
        || currency.equals(base)) {
      return props;
    }
    Map<String, Object> out = new LinkedHashMap<>(props);
    out.put("amount", toBase(EventFacts.decimalAmount(props), currency));
    out.put("currency", base);
    return out;
  }
}
