package io.nextbest.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSizeTest {
  @Test
  void measuresCompactJsonOfMapsListsAndScalars() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("a", "xy");
    v.put("b", List.of(1, true));
    // {"a":"xy","b":[1,true]} is 23 characters; the count allows a separator per entry
    assertThat(JsonSize.length(v, 1000)).isBetween(23L, 28L);
    assertThat(JsonSize.depth(v)).isEqualTo(2);
    assertThat(JsonSize.depth("x")).isZero();
  }

  @Test
  void stopsCountingPastTheLimitAndNamesTheBrokenBound() {
    Map<String, Object> big = Map.of("blob", "x".repeat(2_000_000));
    assertThat(JsonSize.length(big, 16_384)).isGreaterThan(16_384);
    assertThat(JsonSize.problem(big, 16_384, 4))
        .isEqualTo("must be at most 16384 characters of JSON");
    Object deep = Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", 1)))));
    assertThat(JsonSize.problem(deep, 16_384, 4)).isEqualTo("must nest at most 4 levels deep");
    assertThat(JsonSize.problem(Map.of("ok", 1), 16_384, 4)).isNull();
    assertThat(JsonSize.problem(Map.of("note", List.of("bad\u0000"), "ok", 1), 16_384, 4))
        .startsWith("must not contain the NUL character");
    assertThat(JsonSize.problem(Map.of("k\u0000", 1), 16_384, 4)).isNotNull();
  }
}
