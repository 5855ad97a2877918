package io.nextbest.profile.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A customer's feature state stays small over any lifetime: purchase days and category interest are
 * capped, and the BG/NBD inputs built from them stay exact.
 */
class FeatureStateBoundsTest {
  static final long TODAY = 20_000;

  /** x, t_x, T and the mean repeat value straight from every purchase day. */
  private static FeatureState.RepeatSummary exact(TreeMap<Long, Double> days) {
    long first = days.firstKey();
    int x = days.size() - 1;
    double tx = (days.lastKey() - first) / 7.0;
    double age = Math.max(tx, (TODAY - first) / 7.0);
    double repeat = days.values().stream().mapToDouble(Double::doubleValue).sum() - days.get(first);
    return new FeatureState.RepeatSummary(x, tx, age, x > 0 ? repeat / x : 0);
  }

  private static void assertSummary(FeatureState s, TreeMap<Long, Double> days) {
    FeatureState.RepeatSummary want = exact(days);
    FeatureState.RepeatSummary got = s.repeatSummary(TODAY);
    assertThat(got.x()).isEqualTo(want.x());
    assertThat(got.tx()).isEqualTo(want.tx());
    assertThat(got.age()).isEqualTo(want.age());
    assertThat(got.meanRepeatValue()).isCloseTo(want.meanRepeatValue(), within(1e-9));
    assertThat(s.purchaseDays).hasSizeLessThanOrEqualTo(FeatureState.MAX_PURCHASE_DAYS);
    assertThat(s.purchaseDays.firstKey()).isEqualTo(days.firstKey());
    assertThat(s.purchaseDays.lastKey()).isEqualTo(days.lastKey());
  }

  @Test
  void aDailyBuyerForYearsKeepsAYearOfDaysAndExactRepeatInputs() {
    FeatureState s = new FeatureState();
    TreeMap<Long, Double> days = new TreeMap<>();
    Random random = new Random(1);
    for (long day = 17_000; day < 19_500; day++) {
      double value = 1 + random.nextInt(100);
      s.addPurchase(day, value);
      days.merge(day, value, Double::sum);
      if (random.nextInt(4) == 0) { // a second order the same day
        s.addPurchase(day, 5);
        days.merge(day, 5.0, Double::sum);
      }
    }
    assertThat(s.purchaseDays).hasSize(FeatureState.MAX_PURCHASE_DAYS);
    assertThat(s.foldedPurchaseDays).isEqualTo(2_500 - FeatureState.MAX_PURCHASE_DAYS);
    assertSummary(s, days);
  }

  @Test
  void purchasesArrivingOutOfOrderWithinTheKeptDaysStayExact() {
    FeatureState s = new FeatureState();
    TreeMap<Long, Double> days = new TreeMap<>();
    List<Long> order = new ArrayList<>();
    for (long day = 18_000; day < 19_000; day += 2) {
      order.add(day);
    }
    Random random = new Random(2);
    // each purchase arrives at most 100 purchase days late, well within the kept year
    for (int i = 0; i < order.size(); i += 100) {
      Collections.shuffle(order.subList(i, Math.min(order.size(), i + 100)), random);
    }
    for (long day : order) {
      s.addPurchase(day, day % 7 + 1);
      days.merge(day, (double) (day % 7 + 1), Double::sum);
    }
    assertSummary(s, days);
  }

  @Test
  void anEarlierFirstPurchaseKeepsTheInputsExact() {
    FeatureState s = new FeatureState();
    TreeMap<Long, Double> days = new TreeMap<>();
    for (long day = 18_000; day < 18_600; day++) {
      s.addPurchase(day, 10);
      days.put(day, 10.0);
    }
    s.addPurchase(17_000, 99); // a purchase from long before, imported late
    days.put(17_000L, 99.0);
    assertSummary(s, days);
    s.addPurchase(19_000, 3);
    days.put(19_000L, 3.0);
    assertSummary(s, days);
  }

  @Test
  void aLatePurchaseOnAFoldedStretchAddsItsValueAsADayAlreadySeen() {
    FeatureState s = new FeatureState();
    for (long day = 18_000; day < 18_500; day++) {
      s.addPurchase(day, 10);
    }
    long x = s.repeatSummary(TODAY).x();
    s.addPurchase(18_010, 30); // folded long ago
    assertThat(s.repeatSummary(TODAY).x()).isEqualTo(x);
    assertThat(s.foldedPurchaseValue).isEqualTo(10.0 * (500 - 366) + 30);
  }

  @Test
  void mergingTwoLongHistoriesKeepsTheCapAndCountsEveryDay() {
    FeatureState a = new FeatureState();
    FeatureState b = new FeatureState();
    TreeMap<Long, Double> days = new TreeMap<>();
    for (long day = 17_000; day < 17_800; day += 2) {
      a.addPurchase(day, 4);
      days.merge(day, 4.0, Double::sum);
    }
    for (long day = 17_401; day < 18_400; day += 2) {
      b.addPurchase(day, 6);
      days.merge(day, 6.0, Double::sum);
    }
    a.absorb(b);
    assertSummary(a, days);
    // the state the merge leaves behind takes later purchases exactly too
    a.addPurchase(18_500, 1);
    days.put(18_500L, 1.0);
    assertSummary(a, days);
  }

  @Test
  void categoryInterestKeepsTheHeaviestFiftyCategories() {
    FeatureState s = new FeatureState();
    for (int i = 0; i < 500; i++) {
      FeatureState.weighCategory(s.categories, "c" + i, 1);
    }
    FeatureState.weighCategory(s.categories, "tea", 3);
    FeatureState.weighCategory(s.categories, "tea", 3);
    assertThat(s.categories).hasSize(FeatureState.MAX_CATEGORIES).containsEntry("tea", 6.0);
    assertThat(FeatureCalculator.topCategories(s.categories)).first().isEqualTo("tea");

    FeatureState other = new FeatureState();
    for (int i = 0; i < 80; i++) {
      FeatureState.weighCategory(other.categories, "o" + i, 2);
    }
    s.absorb(other);
    assertThat(s.categories).hasSize(FeatureState.MAX_CATEGORIES).containsEntry("tea", 6.0);
  }

  @Test
  void theBoundedStateSurvivesItsJson() throws Exception {
    FeatureState s = new FeatureState();
    for (long day = 18_000; day < 18_400; day++) {
      s.addPurchase(day, 2);
    }
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    String json = mapper.writeValueAsString(s);
    FeatureState back = mapper.readValue(json, FeatureState.class);
    assertThat(back.foldedPurchaseDays).isEqualTo(s.foldedPurchaseDays);
    assertThat(back.repeatSummary(TODAY)).isEqualTo(s.repeatSummary(TODAY));
    assertThat(json).doesNotContain("purchaseDayCount");
  }
}
