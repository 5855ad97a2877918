package io.nextbest.common.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.nextbest.common.rest.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CampaignSpecAttributesTest {
  /** As the services configure Jackson: unknown properties are refused. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static CampaignSpec with(CampaignSpec.Attributes attributes) {
    return new CampaignSpec(
            "spring-shoes",
            "Spring shoes",
            null,
            null,
            null,
            List.of("email"),
            null,
            null,
            null,
            null,
            10,
            null,
            null,
            null,
            null,
            null,
            null,
            attributes)
        .normalized(null);
  }

  private static List<String> fields(CampaignSpec.Attributes attributes) {
    return with(attributes).problems().stream().map(Problem.FieldError::field).toList();
  }

  private static String message(CampaignSpec.Attributes attributes, String field) {
    return with(attributes).problems().stream()
        .filter(e -> e.field().equals(field))
        .map(Problem.FieldError::message)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void acceptsCampaignsWithoutAttributesOrWithSomeOfThem() {
    assertThat(fields(null)).isEmpty();
    assertThat(fields(new CampaignSpec.Attributes("shoes", 20.0, List.of("promo", "spring"))))
        .isEmpty();
    assertThat(fields(new CampaignSpec.Attributes("shoes", null, null))).isEmpty();
    assertThat(fields(new CampaignSpec.Attributes(null, 0.0, null))).isEmpty();
    assertThat(fields(new CampaignSpec.Attributes(null, 100.0, null))).isEmpty();
    assertThat(fields(new CampaignSpec.Attributes(null, 12.5, List.of()))).isEmpty();
    assertThat(fields(new CampaignSpec.Attributes("a", null, List.of("0", "x-9", "a".repeat(64)))))
        .isEmpty();
  }

  @Test
  void anEmptyAttributesObjectIsNoAttributes() {
    assertThat(with(new CampaignSpec.Attributes(null, null, null)).attributes()).isNull();
    assertThat(with(new CampaignSpec.Attributes(null, null, List.of())).attributes())
        .isEqualTo(new CampaignSpec.Attributes(null, null, List.of()));
  }

  @Test
  void rejectsCategoriesThatAreNotLowerCaseLabels() {
    for (String bad :
        List.of("", "Shoes", "-shoes", "shoes_and_bags", "shoes ", "é", "a".repeat(65), "a/b")) {
      assertThat(fields(new CampaignSpec.Attributes(bad, null, null)))
          .as("category '%s'", bad)
          .containsExactly("attributes.category");
    }
    assertThat(message(new CampaignSpec.Attributes("Shoes", null, null), "attributes.category"))
        .contains("lower-case");
  }

  @Test
  void rejectsDiscountDepthsOutsideZeroToAHundredPercent() {
    for (double bad :
        new double[] {
          -0.01, 100.01, -1e9, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
        }) {
      assertThat(fields(new CampaignSpec.Attributes(null, bad, null)))
          .as("discountDepth %s", bad)
          .containsExactly("attributes.discountDepth");
    }
    assertThat(message(new CampaignSpec.Attributes(null, 120.0, null), "attributes.discountDepth"))
        .contains("0 to 100");
  }

  @Test
  void namesEachBadOrRepeatedTagByItsIndex() {
    var attributes =
        new CampaignSpec.Attributes(
            null, null, Arrays.asList("promo", "Spring", "promo", null, "", "ok"));
    assertThat(with(attributes).problems())
        .extracting(Problem.FieldError::field)
        .containsExactly(
            "attributes.tags[1]", "attributes.tags[2]", "attributes.tags[3]", "attributes.tags[4]");
    assertThat(message(attributes, "attributes.tags[2]")).isEqualTo("'promo' is listed twice");
  }

  @Test
  void allowsAtMostTenTagsAndSaysSoOnce() {
    List<String> ten = IntStream.range(0, 10).mapToObj(i -> "t" + i).toList();
    assertThat(fields(new CampaignSpec.Attributes(null, null, ten))).isEmpty();
    List<String> many = new ArrayList<>(Collections.nCopies(100_000, "Bad Tag"));
    assertThat(fields(new CampaignSpec.Attributes(null, null, many)))
        .containsExactly("attributes.tags");
    assertThat(message(new CampaignSpec.Attributes(null, null, many), "attributes.tags"))
        .isEqualTo("at most 10 tags");
  }

  @Test
  void reportsAttributeProblemsWithTheOthers() {
    var spec =
        new CampaignSpec(
                "Bad Id",
                "x",
                null,
                null,
                null,
                List.of("email"),
                null,
                null,
                null,
                null,
                10,
                null,
                null,
                null,
                null,
                null,
                null,
                new CampaignSpec.Attributes("Shoes", 101.0, List.of("a", "a")))
            .normalized(null);
    assertThat(spec.problems())
        .extracting(Problem.FieldError::field)
        .containsExactly(
            "id", "attributes.category", "attributes.discountDepth", "attributes.tags[1]");
  }

  @Test
  void attributesRoundTripThroughTheStoredJson() throws Exception {
    String json =
        "{\"id\":\"spring-shoes\",\"name\":\"Spring shoes\",\"channels\":[\"email\"],"
            + "\"priority\":10,\"attributes\":{\"category\":\"shoes\",\"discountDepth\":20,"
            + "\"tags\":[\"promo\",\"spring\"]}}";
    CampaignSpec spec = JSON.readValue(json, CampaignSpec.class).normalized(null);
    assertThat(spec.attributes())
        .isEqualTo(new CampaignSpec.Attributes("shoes", 20.0, List.of("promo", "spring")));
    CampaignSpec stored = JSON.readValue(JSON.writeValueAsString(spec), CampaignSpec.class);
    assertThat(stored).isEqualTo(spec);
    // absent parts stay absent in the stored JSON, and a spec saved before attributes reads back
    assertThat(JSON.writeValueAsString(with(new CampaignSpec.Attributes("shoes", null, null))))
        .contains("\"attributes\":{\"category\":\"shoes\"}");
    assertThat(JSON.writeValueAsString(with(null))).doesNotContain("attributes");
    assertThat(
            JSON.readValue(
                    "{\"id\":\"old\",\"name\":\"Old\",\"channels\":[\"email\"]}",
                    CampaignSpec.class)
                .attributes())
        .isNull();
  }

  @Test
  void refusesUnknownAttributeKeys() {
    assertThatThrownBy(
            () ->
                JSON.readValue(
                    "{\"id\":\"x\",\"attributes\":{\"catgory\":\"shoes\"}}", CampaignSpec.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("catgory");
  }
}
