package io.nextbest.console.service;

import static io.nextbest.console.client.ServiceClient.query;
import static io.nextbest.console.client.ServiceClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.console.client.Service;
import io.nextbest.console.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A customer as the services see them: profile-service's profile, eligibility's answer now. */
@ApplicationScoped
public class CustomerService {
  private final ServiceClient client;
  private final ObjectMapper json;

  public CustomerService(ServiceClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /** The profile snapshot: attributes, features, predictions, consents, segments. */
  public Uni<Map<String, Object>> profile(String token, String id) {
    return client.get(Service.PROFILE, "/api/v1/profiles/" + segment(id), token).map(this::plain);
  }

  /** Which campaigns the customer may receive now, and why each other one is excluded. */
  public Uni<Map<String, Object>> eligibility(String token, String id) {
    return client
        .get(Service.ELIGIBILITY, "/api/v1/eligibility/" + segment(id), token)
        .map(this::plain);
  }

  /** A page of customer ids after {@code after} (profile-service's cursor). */
  public Uni<Map<String, Object>> ids(String token, String after, int limit) {
    String q =
        "?limit=" + limit + (after == null || after.isBlank() ? "" : "&after=" + query(after));
    return client.get(Service.PROFILE, "/api/v1/profiles" + q, token).map(this::plain);
  }

  /** Everything profile-service holds on the customer (admin only). */
  public Uni<byte[]> export(String token, String id) {
    return client.download(Service.PROFILE, "/api/v1/profiles/" + segment(id) + "/export", token);
  }

  /** Erases the customer everywhere (admin only; profile-service announces it to the others). */
  public Uni<JsonNode> erase(String token, String id) {
    return client.delete(Service.PROFILE, "/api/v1/profiles/" + segment(id), token);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> plain(JsonNode node) {
    return node.isObject()
        ? json.convertValue(node, LinkedHashMap.class)
        : Map.of("items", List.of());
  }
}
