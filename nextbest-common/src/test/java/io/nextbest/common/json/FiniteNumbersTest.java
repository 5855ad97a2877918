package io.nextbest.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiniteNumbersTest {
  record Uplift(double mean, Double sd, float share) {}

  private static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    new JsonSetup().customize(mapper);
    return mapper;
  }

  @Test
  void notANumberAndInfinitiesAreWrittenAsNullNeverAsStrings() throws Exception {
    assertThat(
            mapper()
                .writeValueAsString(new Uplift(Double.NaN, Double.POSITIVE_INFINITY, Float.NaN)))
        .isEqualTo("{\"mean\":null,\"sd\":null,\"share\":null}");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p", Double.NEGATIVE_INFINITY);
    m.put("q", 0.25);
    assertThat(mapper().writeValueAsString(m)).isEqualTo("{\"p\":null,\"q\":0.25}");
  }

  @Test
  void finiteNumbersAreWrittenAsBefore() throws Exception {
    assertThat(mapper().writeValueAsString(new Uplift(1.5, -0.1, 2.5f)))
        .isEqualTo("{\"mean\":1.5,\"sd\":-0.1,\"share\":2.5}");
    assertThat(mapper().writeValueAsString(0.1 + 0.2)).isEqualTo("0.30000000000000004");
  }
}
