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
