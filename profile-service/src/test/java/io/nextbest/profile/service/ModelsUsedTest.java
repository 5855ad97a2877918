package io.nextbest.profile.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.models.clv.GammaGamma;
import io.nextbest.models.segments.ClusterModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsUsedTest {
  @Test
  void beforeAnyFitTheProfileSaysItsPredictionsComeFromTheBuiltInPriorAndNoSegmentModel() {
    Map<String, Object> used = Snapshots.modelsUsed(ClvModel.PRIOR, null);
    @SuppressWarnings("unchecked")
    Map<String, Object> clv = (Map<String, Object>) used.get("clv");
    assertThat(clv)
        .containsEntry("version", 0L)
        .containsEntry("builtIn", true)
        .containsEntry("fittedAt", null);
    assertThat(used).containsEntry("segments", null);
  }

  @Test
  void afterFitsItNamesTheirVersionsTimesAndTheMomentTheyStandAt() {
    Instant clvAt = Instant.parse("2026-11-30T02:00:00Z");
    Instant segAt = Instant.parse("2026-11-30T02:05:00Z");
    Instant asOf = Instant.parse("2011-12-09T12:50:00Z");
    ClvModel fitted =
        new ClvModel(7, clvAt, 1200, new BgNbd(0.2, 4, 0.8, 2.4), new GammaGamma(6, 3.7, 15), asOf);
    ClusterModel clusters = new ClusterModel(3, segAt, 900, null, null, List.of(), asOf, Map.of());
    Map<String, Object> used = Snapshots.modelsUsed(fitted, clusters);
    assertThat(used.get("clv"))
        .isEqualTo(
            Map.of(
                "version",
                7L,
                "builtIn",
                false,
                "fittedAt",
                clvAt,
                "customers",
                1200L,
                "asOf",
                asOf));
    assertThat(used.get("segments"))
        .isEqualTo(Map.of("version", 3L, "fittedAt", segAt, "customers", 900L, "asOf", asOf));
  }
}
