package io.nextbest.content.service;

import io.nextbest.events.ProfileSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a snapshot holds of the {@code profile} templates see: attributes, a few features and
 * predictions, by their template names; {@link io.nextbest.content.template.TemplateModel#profile}
 * adds the fields the customer lacks, empty.
 */
final class ProfileView {
  private ProfileView() {}

  static Map<String, Object> of(String customerId, ProfileSnapshot p) {
    Map<String, Object> view = new HashMap<>();
    view.put("id", customerId);
    if (p == null) {
      return view;
    }
    Map<String, Object> a = p.attributes() == null ? Map.of() : p.attributes();
    Map<String, Object> f = p.features() == null ? Map.of() : p.features();
    Map<String, Object> pr = p.predictions() == null ? Map.of() : p.predictions();
    for (String k : List.of("name", "email", "locale", "timezone", "country", "city", "traits")) {
      if (a.get(k) != null) {
        view.put(k, a.get(k));
      }
    }
    if (a.get("name") instanceof String name && !name.isBlank()) {
      String[] parts = name.trim().split("\\s+", 2);
      view.put("firstName", parts[0]);
      if (parts.length > 1) {
        view.put("lastName", parts[1]);
      }
    }
    if (f.get("topCategories") instanceof List<?> top) {
      view.put("topCategories", top);
      if (!top.isEmpty()) {
        view.put("topCategory", top.get(0));
      }
    }
    put(view, "daysToBirthday", f.get("daysToBirthday"));
    put(view, "orders", f.get("purchaseCount"));
    put(view, "pAlive", pr.get("probabilityAlive"));
    put(view, "churnRisk", pr.get("churnRisk"));
    if (pr.get("clv12m") instanceof Number clv) {
      view.put("clv", clv);
      view.put(
          "clvTier",
          clv.doubleValue() >= 500 ? "high" : clv.doubleValue() >= 100 ? "medium" : "low");
    }
    if (p.segments() != null) {
      view.put("segments", p.segments());
    }
    return view;
  }

  private static void put(Map<String, Object> view, String key, Object value) {
    if (value != null) {
      view.put(key, value);
    }
  }
}
