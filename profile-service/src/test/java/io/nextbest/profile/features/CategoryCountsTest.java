package io.nextbest.profile.features;

import static io.nextbest.profile.features.Fold.event;
import static io.nextbest.profile.features.Fold.features;
import static io.nextbest.profile.features.Fold.item;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CategoryCountsTest {

  @Test
  void viewSharesAreTopFiveCategoriesByCountTiesByName() {
    List<Fold.Event> views = new ArrayList<>();
    // tea 4, coffee 2, mugs 1, b 1, a 1, zz 1; one view without a category does not count
    for (String c :
        List.of("tea", "tea", "tea", "tea", "coffee", "coffee", "mugs", "zz", "b", "a")) {
      views.add(event("view", Map.of("category", c)));
    }
    views.add(event("view", Map.of("sku", "X")));
    var f = features(views.toArray(Fold.Event[]::new));

    @SuppressWarnings("unchecked")
    var shares = (Map<String, Double>) f.get("categoryViewShares");
    assertThat(shares.keySet()).containsExactly("tea", "coffee", "a", "b", "mugs");
    assertThat(shares.get("tea")).isEqualTo(0.4);
    assertThat(shares.get("coffee")).isEqualTo(0.2);
    assertThat(shares.get("a")).isEqualTo(0.1);
  }

  @Test
  void purchaseSharesCountQuantitiesOfItems() {
    var f =
        features(
            event(
                "purchase",
                Map.of("amount", 40, "items", List.of(item("tea", 3), item("mugs", 1)))),
            event("purchase", Map.of("amount", 10, "items", List.of(item("coffee", 1)))),
            event("add_to_cart", Map.of("sku", "C", "category", "coffee")));

    assertThat(f.get("categoryPurchaseShares"))
        .isEqualTo(Map.of("tea", 0.6, "coffee", 0.2, "mugs", 0.2));
    // the weighted interest map is unchanged: purchases 3 per unit, cart adds 2
    assertThat(f.get("topCategories")).isEqualTo(List.of("tea", "coffee", "mugs"));
  }

  @Test
  void noCategoriesGiveEmptyShares() {
    var f = features(event("search", Map.of("query", "tea")));
    assertThat(f.get("categoryViewShares")).isEqualTo(Map.of());
    assertThat(f.get("categoryPurchaseShares")).isEqualTo(Map.of());
  }

  @Test
  void keepsAtMostFiftyCategoriesDroppingTheSmallest() {
    FeatureState s = new FeatureState();
    for (int i = 0; i < 60; i++) {
      String c = "c%02d".formatted(i);
      // c00..c59 seen i % 3 + 1 times, so the early ones are not all the largest
      for (int k = 0; k <= i % 3; k++) {
        EventFacts.apply(s, "view", Fold.NOW, Map.of("category", c), Fold.CONTEXT);
      }
    }
    assertThat(s.categoryViews).hasSize(FeatureState.MAX_CATEGORIES);
    assertThat(s.categoryViews).containsKey("c59"); // the newest always gets in
    assertThat(s.categoryViews).containsKeys("c02", "c05", "c56"); // counts of 3 stay
    assertThat(s.categoryViewTotal).isEqualTo(120); // shares still divide by every view

    var shares = Fold.derive(s, 0).features().get("categoryViewShares");
    assertThat(shares)
        .isEqualTo(Map.of("c02", 0.025, "c05", 0.025, "c08", 0.025, "c11", 0.025, "c14", 0.025));
  }

  @Test
  void mergingTwoStatesKeepsTheBound() {
    FeatureState a = new FeatureState();
    FeatureState b = new FeatureState();
    for (int i = 0; i < 40; i++) {
      FeatureState.countCategory(a.categoryPurchases, "a" + i, 2);
      FeatureState.countCategory(b.categoryPurchases, "b" + i, 1);
    }
    FeatureState.countCategory(b.categoryPurchases, "a0", 5);
    a.absorb(b);
    assertThat(a.categoryPurchases).hasSize(FeatureState.MAX_CATEGORIES);
    assertThat(a.categoryPurchases.get("a0")).isEqualTo(7);
    assertThat(a.categoryPurchases.keySet().stream().filter(k -> k.startsWith("a"))).hasSize(40);
  }
}
