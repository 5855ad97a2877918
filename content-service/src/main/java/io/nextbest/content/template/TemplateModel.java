package io.nextbest.content.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data every template field renders over, declared once for both sides: {@link TemplateChecker}
 * accepts only the names declared here and tries each field on the sample data below, and the
 * renderer always hands templates the whole model. A field the customer does not have is there all
 * the same, empty: null for a text or a number, an empty list or map otherwise, so {@code
 * {profile.topCategory}} renders nothing and {@code {#if profile.topCategory}} is false for a new
 * or anonymous visitor instead of failing.
 */
public final class TemplateModel {
  private TemplateModel() {}

  /** What a field holds, and so what an absent one is. */
  public enum Kind {
    TEXT,
    NUMBER,
    LIST,
    MAP
  }

  /** The profile fields templates may use ({@code profile.<name>}); every one may be absent. */
  public static final Map<String, Kind> PROFILE;

  static {
    Map<String, Kind> p = new LinkedHashMap<>();
    for (String f :
        List.of(
            "id",
            "name",
            "firstName",
            "lastName",
            "email",
            "locale",
            "timezone",
            "country",
            "city",
            "topCategory",
            "clvTier")) {
      p.put(f, Kind.TEXT);
    }
    for (String f : List.of("clv", "pAlive", "churnRisk", "daysToBirthday", "orders")) {
      p.put(f, Kind.NUMBER);
    }
    p.put("topCategories", Kind.LIST);
    p.put("segments", Kind.LIST);
    p.put("traits", Kind.MAP);
    PROFILE = Collections.unmodifiableMap(p);
  }

  /** The fields of each recommendation in {@code recs}. */
  public static final Set<String> REC = Set.of("item", "name", "score", "source");

  /** The fields of {@code campaign}; {@code id} is null in a placement's default content. */
  public static final Set<String> CAMPAIGN = Set.of("id");

  /** The names a template starts from. */
  public static final Set<String> ROOTS = Set.of("profile", "recs", "campaign", "locale");

  /**
   * The profile as templates see it: every declared field, those not in {@code known} empty. Values
   * of undeclared names in {@code known} are left out.
   */
  public static Map<String, Object> profile(Map<String, Object> known) {
    Map<String, Object> view = new HashMap<>();
    PROFILE.forEach(
        (name, kind) -> {
          Object value = known == null ? null : known.get(name);
          view.put(name, value != null ? value : empty(kind));
        });
    return view;
  }

  private static Object empty(Kind kind) {
    return switch (kind) {
      case LIST -> List.of();
      case MAP -> Map.of();
      default -> null;
    };
  }

  /**
   * The whole data of one render.
   *
   * @param profile the customer's known fields (null for an anonymous visitor)
   * @param recs recommendations, each with the {@link #REC} fields (null for none)
   * @param campaignId the campaign shown, null for the placement's default content
   * @param locale the locale the content is written in
   */
  public static Map<String, Object> data(
      Map<String, Object> profile,
      List<Map<String, Object>> recs,
      String campaignId,
      String locale) {
    Map<String, Object> data = new HashMap<>();
    data.put("profile", profile(profile));
    data.put("recs", recs == null ? List.of() : recs);
    Map<String, Object> campaign = new HashMap<>();
    campaign.put("id", campaignId);
    data.put("campaign", campaign);
    data.put("locale", locale);
    return data;
  }

  /** A visitor the checker renders every field for, by name for its messages. */
  public record Trial(String visitor, Map<String, Object> data) {}

  /**
   * The visitors every field must render for: an anonymous visitor (no field, no recommendation, no
   * campaign), a customer with every field, and between them a customer with every field but one
   * and a customer with only one, for each field.
   */
  static List<Trial> trials() {
    Map<String, Object> full = sampleProfile();
    List<Map<String, Object>> recs =
        List.of(
            Map.of("item", "sku-1", "name", "Sample item", "score", 0.8, "source", "co-purchase"),
            Map.of("item", "sku-2", "name", "Popular item", "score", 0.2, "source", "popular"));
    List<Trial> trials = new ArrayList<>();
    trials.add(new Trial("an anonymous visitor", data(null, List.of(), null, "en")));
    trials.add(new Trial("a customer with every profile field", data(full, recs, "sample", "en")));
    for (String field : PROFILE.keySet()) {
      Map<String, Object> without = new HashMap<>(full);
      without.remove(field);
      trials.add(
          new Trial("a customer without profile." + field, data(without, recs, "sample", "en")));
      trials.add(
          new Trial(
              "a customer with only profile." + field,
              data(Map.of(field, full.get(field)), List.of(), null, "en")));
    }
    return trials;
  }

  /** A customer with every field, values of the kinds the renderer gives. */
  static Map<String, Object> sampleProfile() {
    Map<String, Object> p = new HashMap<>();
    p.put("id", "sample-customer");
    p.put("name", "Alex Sample");
    p.put("firstName", "Alex");
    p.put("lastName", "Sample");
    p.put("email", "alex@example.com");
    p.put("locale", "en-GB");
    p.put("timezone", "Europe/London");
    p.put("country", "GB");
    p.put("city", "London");
    p.put("topCategory", "tea");
    p.put("topCategories", List.of("tea", "coffee"));
    p.put("clvTier", "high");
    p.put("clv", 812.5);
    p.put("pAlive", 0.9);
    p.put("churnRisk", 0.1);
    p.put("segments", List.of("loyal"));
    p.put("daysToBirthday", 12);
    p.put("orders", 3);
    p.put("traits", Map.of());
    return p;
  }
}
