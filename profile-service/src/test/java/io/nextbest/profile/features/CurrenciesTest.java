package io.nextbest.profile.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurrenciesTest {
  private final Currencies eur =
      new Currencies("EUR", Map.of("GBP", new BigDecimal("1.17"), "USD", new BigDecimal("0.92")));

  @Test
  void amountsInTheBaseAreUnchangedToTheCent() {
    assertThat(eur.toBase(new BigDecimal("19.90"), "EUR")).isEqualByComparingTo("19.90");
    assertThat(eur.toBase(new BigDecimal("19.90"), null)).isEqualTo(new BigDecimal("19.90"));
    Map<String, Object> props = Map.of("amount", 42.5, "currency", "EUR");
    assertThat(eur.inBase("purchase", props)).isSameAs(props);
  }

  @Test
  void otherCurrenciesAreConvertedAtTheirRate() {
    assertThat(eur.toBase(new BigDecimal("18.40"), "GBP")).isEqualByComparingTo("21.53");
    assertThat(eur.toBase(new BigDecimal("100"), "USD")).isEqualByComparingTo("92.00");
    Map<String, Object> converted =
        eur.inBase("purchase", Map.of("amount", 10, "currency", "GBP", "orderId", "o-1"));
    assertThat(converted)
        .containsEntry("currency", "EUR")
        .containsEntry("orderId", "o-1")
        .containsEntry("amount", new BigDecimal("11.70"));
    // GBP, EUR and USD no longer add up as they are: 10 + 10 + 10 is 11.70 + 10 + 9.20
    BigDecimal sum =
        eur.toBase(BigDecimal.TEN, "GBP")
            .add(eur.toBase(BigDecimal.TEN, "EUR"))
            .add(eur.toBase(BigDecimal.TEN, "USD"));
    assertThat(sum).isEqualByComparingTo("30.90");
  }

  @Test
  void aCurrencyWithoutARateIsNotAccepted() {
    assertThat(eur.accepts("JPY")).isFalse();
    assertThat(eur.accepts("EUR")).isTrue();
    assertThat(eur.accepts(null)).isTrue();
    assertThat(eur.accepted()).isEqualTo("EUR, GBP, USD");
    assertThatThrownBy(() -> eur.toBase(BigDecimal.ONE, "JPY"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Currencies("EUR", Map.of("GBP", BigDecimal.ZERO)))
        .hasMessageContaining("nextbest.currency.rates.GBP");
  }

  @Test
  void otherEventsAreLeftAsTheyAre() {
    Map<String, Object> view = Map.of("currency", "GBP", "price", 3);
    assertThat(eur.inBase("view", view)).isSameAs(view);
  }
}
