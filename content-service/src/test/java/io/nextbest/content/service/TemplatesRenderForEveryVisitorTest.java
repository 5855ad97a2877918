package io.nextbest.content.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.content.DecisionServiceDouble;
import io.nextbest.content.template.CompiledTemplate;
import io.nextbest.content.template.ContentCatalog;
import io.nextbest.content.template.TemplateModel;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The template checker and the renderer share one data model ({@link TemplateModel}): what the
 * checker accepts renders for every visitor, known or anonymous, with or without each optional
 * field, and what cannot render is refused when saved. The demo's own templates (seeded by the
 * migrations, served by {@code bin/nextbest up}) are held to the same rule.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
class TemplatesRenderForEveryVisitorTest {
  @Inject ContentCatalog catalogue;

  @BeforeEach
  void marketer() {
    RestAssured.requestSpecification = null;
  }

  /** An anonymous visitor, a new customer with no profile yet, and a customer with every field. */
  static Map<String, Map<String, Object>> visitors() {
    ProfileSnapshot full =
        new ProfileSnapshot(
            "full:3",
            ProfileSnapshot.TYPE,
            "full",
            Instant.now(),
            3,
            Map.of(
                "name", "Grace Hopper",
                "email", "grace@example.com",
                "locale", "es-MX",
                "timezone", "America/Mexico_City",
                "country", "MX",
                "city", "Monterrey",
                "traits", Map.of("vip", true)),
            Map.of(
                "topCategories", List.of("garden", "tea"), "daysToBirthday", 4, "purchaseCount", 7),
            Map.of("probabilityAlive", 0.8, "churnRisk", 0.2, "clv12m", 812.5),
            Map.of(),
            List.of("loyal"),
            null);
    Map<String, Map<String, Object>> visitors = new HashMap<>();
    visitors.put("an anonymous visitor", null);
    visitors.put("a new customer", ProfileView.of("new", null));
    visitors.put("a customer with every field", ProfileView.of("full", full));
    return visitors;
  }

  @Test
  void everyDemoTemplateRendersForAnonymousNewAndFullProfiles() {
    List<CompiledTemplate> demo =
        catalogue.snapshot().templates().values().stream()
            .filter(t -> t.campaignId() == null || "welcome".equals(t.campaignId()))
            .toList();
    assertThat(demo)
        .extracting(CompiledTemplate::placement)
        .contains("home-hero", "product-banner", "cart", "in-app-card");
    assertThat(demo).extracting(CompiledTemplate::campaignId).contains("welcome");
    List<Map<String, Object>> recs =
        List.of(Map.of("item", "sku-1", "name", "Mug", "score", 1.0, "source", "popular"));
    List<String> failures = new ArrayList<>();
    int renders = 0;
    for (CompiledTemplate t : demo) {
      for (CompiledTemplate.Variant v : t.variants()) {
        for (var locale : v.locales().entrySet()) {
          for (var visitor : visitors().entrySet()) {
            var data =
                TemplateModel.data(visitor.getValue(), recs, t.campaignId(), locale.getKey());
            try {
              Map<String, String> fields = ContentRenderer.render(locale.getValue(), data);
              assertThat(fields).isNotEmpty();
              renders++;
            } catch (RuntimeException e) {
              failures.add(
                  t.campaignId()
                      + "/"
                      + t.placement()
                      + " "
                      + v.id()
                      + " "
                      + locale.getKey()
                      + " for "
                      + visitor.getKey()
                      + ": "
                      + e.getMessage());
            }
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(renders).isGreaterThanOrEqualTo(30);
    // and each passes the checker as it stands, trial renders included
    for (Object doc :
        given()
            .auth()
            .oauth2(TestJwt.token("marketer"))
            .get("/api/v1/templates")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("findAll { it.campaignId == null || it.campaignId == 'welcome' }")) {
      given()
          .auth()
          .oauth2(TestJwt.token("marketer"))
          .contentType(ContentType.JSON)
          .body(doc)
          .post("/api/v1/templates/validate")
          .then()
          .statusCode(200);
    }
  }

  @Test
  void theWelcomeCampaignNeverFailsToRenderForANewCustomer() {
    String customer = "new-" + java.util.UUID.randomUUID();
    DecisionServiceDouble.ANSWERS.put(
        customer, new DecisionServiceDouble.Answer("welcome", false, 0, 200));
    List<String> variants = new ArrayList<>();
    long end = System.nanoTime() + 30_000_000_000L;
    while (variants.size() < 20 && System.nanoTime() < end) {
      var r =
          given()
              .header("X-NextBest-Key", "pk_test")
              .queryParam("customerId", customer)
              .get("/api/v1/content/{placement}", "home-hero")
              .then()
              .statusCode(200)
              .extract();
      String reason = r.path("reason");
      assertThat(reason).as(r.asString()).isNotEqualTo("render-error");
      if ("campaign".equals(reason)) { // a cold JVM may miss the placement's budget at first
        assertThat(r.<String>path("fields.headline")).isEqualTo("Welcome, friend!");
        variants.add(r.path("variantId"));
      }
    }
    assertThat(variants).hasSize(20);
  }

  private static void validate(String source, int status, String message) {
    var r =
        given()
            .auth()
            .oauth2(TestJwt.token("marketer"))
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "campaignId",
                    "checker",
                    "placement",
                    "home-hero",
                    "variants",
                    List.of(
                        Map.of(
                            "id",
                            "a",
                            "locales",
                            Map.of("en", Map.of("headline", source, "body", "B", "cta", "C"))))))
            .post("/api/v1/templates/validate")
            .then()
            .statusCode(status);
    if (message != null) {
      r.contentType("application/problem+json")
          .body("errors[0].field", equalTo("variants[0].locales.en.headline"))
          .body("errors[0].message", containsString(message));
    }
  }

  @Test
  void theCheckerRefusesWhatCannotRenderAndAcceptsOptionalFields() {
    // names outside the data model
    validate(
        "{campaign.rule}", 400, "undefined variable 'campaign.rule'; campaign fields are [id]");
    validate("{profile.shoeSize}", 400, "undefined variable 'profile.shoeSize'");
    validate("{#for r in recs}{r.rule}{/for}", 400, "undefined variable 'r.rule'");
    // what renders for some customers only
    validate("{profile.firstName.toUpperCase}", 400, "does not render for an anonymous visitor");
    validate("{#if profile.clv > 100}big{/if}", 400, "does not render for");
    validate("{profile.traits.vip}", 400, "does not render for");
    validate("{profile.topCategories.take(2)}", 400, "does not render for");
    // an optional field is empty when the customer lacks it
    for (String fine :
        List.of(
            "{#if profile.topCategory}, {profile.topCategory} included{/if}",
            "Top: {profile.topCategory}",
            "{campaign.id}",
            "{profile.firstName.toUpperCase ?: 'FRIEND'}",
            "{#if profile.clv}{#if profile.clv > 100}big{/if}{/if}",
            "{#if profile.traits.vip??}VIP{/if}",
            "{profile.segments.size} segments",
            "{#for r in recs}{r.name} ({r.score}){/for}",
            "{#for c in profile.topCategories}{c}{/for}")) {
      validate(fine, 200, null);
    }
  }
}
