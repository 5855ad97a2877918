package io.nextbest.content.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalesTest {
  final Map<String, String> table = new HashMap<>();

  {
    table.put("en", null);
    table.put("es", "en");
    table.put("es-MX", "es");
    table.put("es-US", "es-MX");
    table.put("ca", "es");
    table.put("a", "b");
    table.put("b", "a");
  }

  @Test
  void chainsFollowTheTableThenTheTagThenTheDefault() {
    Locales l = new Locales(table, "en");
    assertThat(l.chain("es-MX")).isEqualTo(List.of("es-MX", "es", "en"));
    assertThat(l.chain("es_us")).isEqualTo(List.of("es-US", "es-MX", "es", "en"));
    assertThat(l.chain("ca")).isEqualTo(List.of("ca", "es", "en"));
    assertThat(l.chain("pt-BR")).isEqualTo(List.of("pt-BR", "pt", "en"));
    assertThat(l.chain(null)).isEqualTo(List.of("en"));
  }

  @Test
  void aCycleInTheTableEnds() {
    assertThat(new Locales(table, "en").chain("a")).isEqualTo(List.of("a", "b", "en"));
  }

  @Test
  void tagsAreNormalized() {
    assertThat(Locales.normalize("ZH-hant-tw")).isEqualTo("zh-Hant-TW");
  }
}
