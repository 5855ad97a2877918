package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The currency monetary values are kept in ({@code nextbest.currency.*}): each purchase is
 * converted to the base currency when it is folded into the profile, so {@code monetary}, the
 * average order value and the CLV predictions add like with like. The shipped rates are in
 * application.properties (a map has no annotation default).
 */
@ConfigMapping(prefix = "nextbest.currency")
public interface CurrencyConfig {

  /** ISO 4217 code of the base currency; a purchase without a currency is taken to be in it. */
  @WithDefault("EUR")
  String base();

  /**
   * Units of the base currency one unit of each other accepted currency is worth, e.g. {@code
   * nextbest.currency.rates.GBP=1.17}. A purchase in a currency with no rate (and not the base) is
   * rejected with its index and the currencies accepted.
   */
  Map<String, BigDecimal> rates();
}
