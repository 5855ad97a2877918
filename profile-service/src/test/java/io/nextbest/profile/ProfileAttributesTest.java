package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ProfileAttributesTest {

  @Test
  void patchMergesAttributesAndNullRemovesOne() {
    String c = "a-" + UUID.randomUUID();
    put(c, "{\"attributes\":{\"name\":\"Ada\",\"country\":\"GB\",\"traits\":{\"tier\":\"gold\"}}}")
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"attributes\":{\"country\":null,\"locale\":\"es-MX\"}}")
        .patch("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("attributes.name", equalTo("Ada"))
        .body("attributes.locale", equalTo("es-MX"))
        .body("attributes.country", nullValue())
        .body("attributes.traits.tier", equalTo("gold"))
        .body("version", equalTo(2));
  }

  @Test
  void invalidAttributesAreAProblemNamingEachField() {
    String c = "a-" + UUID.randomUUID();
    put(
            c,
            "{\"attributes\":{\"timezone\":\"Mars/Olympus\",\"email\":\"nope\",\"shoeSize\":42,"
                + "\"birthdate\":\"2999-01-01\"}}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body(
            "errors.field",
            hasItems(
                "attributes.timezone",
                "attributes.email",
                "attributes.shoeSize",
                "attributes.birthdate"));
    given().get("/api/v1/profiles/{id}", c).then().statusCode(404);
  }

  @Test
  void traitsLargerThanAKafkaRecordCanHoldAreRefusedWhereTheyEnter() {
    String c = "a-" + UUID.randomUUID();
    // a 2 MB trait once answered 200 and then stalled the outbox relay for every customer
    put(c, "{\"attributes\":{\"traits\":{\"blob\":\"" + "x".repeat(2_000_000) + "\"}}}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("attributes.traits"))
        .body("errors[0].message", equalTo("must be at most 16384 characters of JSON"));
    put(c, "{\"attributes\":{\"traits\":{\"" + "n".repeat(65) + "\":1}}}")
        .statusCode(400)
        .body("errors[0].message", equalTo("trait names must be at most 64 characters"));
    given().get("/api/v1/profiles/{id}", c).then().statusCode(404);
    put(c, "{\"attributes\":{\"traits\":{\"tier\":\"" + "g".repeat(10_000) + "\"}}}")
        .statusCode(200);
  }

  @Test
  void aControlCharacterOrAnOverlongUrlIsAProblemThatNamesNoInternals() {
    // a NUL byte in an id once reached PostgreSQL and came back as its own error message
    given()
        .urlEncodingEnabled(false)
        .get("/api/v1/profiles/a%00b")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("title", equalTo("Control character in URL"))
        .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("UTF8")));
    given()
        .get("/api/v1/profiles/{id}", "u".repeat(10_000))
        .then()
        .statusCode(414)
        .contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString("send at most 8192"));
  }

  @Test
  void consentIsRecordedPerChannelWithSourceAndTime() {
    String c = "a-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body("{\"granted\":true,\"source\":\"checkout\"}")
        .put("/api/v1/profiles/{id}/consents/email", c)
        .then()
        .statusCode(200)
        .body("consents.email.granted", equalTo(true))
        .body("consents.email.source", equalTo("checkout"))
        .body("consents.email.at", org.hamcrest.Matchers.notNullValue());
    given()
        .contentType(ContentType.JSON)
        .body("{\"granted\":false,\"source\":\"preference-centre\"}")
        .put("/api/v1/profiles/{id}/consents/email", c)
        .then()
        .statusCode(200)
        .body("consents.email.granted", equalTo(false));
  }

  @Test
  void consentForUnknownChannelOrWithoutSourceIsAProblem() {
    String c = "a-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body("{\"granted\":true,\"source\":\"form\"}")
        .put("/api/v1/profiles/{id}/consents/fax", c)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("channel"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"granted\":true}")
        .put("/api/v1/profiles/{id}/consents/sms", c)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  private static io.restassured.response.ValidatableResponse put(String c, String body) {
    return given().contentType(ContentType.JSON).body(body).put("/api/v1/profiles/{id}", c).then();
  }
}
