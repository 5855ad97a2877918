package io.nextbest.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

  @Test
  void readsEveryUtcInstantAsInstantParseDoes() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(-62_000_000_000L, 253_000_000_000L); // years 0005 to 9986
      Instant t = Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000));
      String text = t.toString(); // 0, 3, 6 or 9 fraction digits
      assertThat(IsoInstants.parseUtc(text)).as(text).isEqualTo(Instant.parse(text));
      int digits = 1 + random.nextInt(9);
      String cut =
          text.substring(0, 19)
              + "."
              + String.format("%09d", t.getNano()).substring(0, digits)
              + "Z";
      assertThat(IsoInstants.parseUtc(cut)).as(cut).isEqualTo(Instant.parse(cut));
    }
  }

  @Test
  void leavesEveryOtherFormToTheGeneralParser() {
    for (String other :
        List.of(
            "2026-11-24T02:40:11+01:00",
            "2026-11-24T02:40Z",
            "2026-11-24 02:40:11Z",
            "2026-11-24T02:40:11.Z",
            "2026-11-24T02:40:11.1234567890Z",
            "2026-13-24T02:40:11Z",
            "2026-02-30T02:40:11Z",
            "2026-11-24T24:00:00Z",
            "+12026-11-24T02:40:11Z",
            "2026-1a-24T02:40:11Z",
            "",
            "yesterday")) {
      assertThat(IsoInstants.parseUtc(other)).as(other).isNull();
    }
  }

  @Test
  void theServicesMapperReadsBothFormsAndKeepsJacksonsErrors() throws Exception {
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    new JsonSetup().customize(mapper);
    record At(Instant at, double x) {}

    assertThat(mapper.readValue("{\"at\":\"2026-11-24T02:40:11.5Z\",\"x\":0.1}", At.class))
        .isEqualTo(new At(Instant.parse("2026-11-24T02:40:11.5Z"), 0.1));
    assertThat(mapper.readValue("{\"at\":\"2026-11-24T03:40:11+01:00\",\"x\":1e-7}", At.class))
        .isEqualTo(new At(Instant.parse("2026-11-24T02:40:11Z"), 1e-7));
    assertThat(mapper.readValue("{\"at\":1764000000,\"x\":2}", At.class).at())
        .isEqualTo(Instant.ofEpochSecond(1764000000));
    assertThatThrownBy(() -> mapper.readValue("{\"at\":\"yesterday\",\"x\":1}", At.class))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContaining("yesterday");
    double[] values = {0.1, 1.0 / 3, 0.5000000000195354, 1e-300, Double.MAX_VALUE, -2.5e17};
    for (double v : values) {
      String json = mapper.writeValueAsString(new At(Instant.EPOCH, v));
      assertThat(mapper.readValue(json, At.class).x()).as(json).isEqualTo(v);
    }
  }
}
