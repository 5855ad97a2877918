package io.nextbest.profile.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.models.clv.BgNbdFitter;
import io.nextbest.models.clv.GammaGamma;
import io.nextbest.models.clv.RepeatSample;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLV fit's bounded sample: exact below its bound, a uniform sample of the bound above it. */
class RepeatSampleTest {
  static PurchaseHistories.Split split;

  @BeforeAll
  static void read() throws Exception {
    PurchaseHistories h = SharedData.cdnowSample();
    split = h.split(LocalDate.of(1997, 9, 30), LocalDate.of(1998, 6, 30));
  }

  private static RepeatSample cdnow(int capacity) {
    RepeatSample sample = new RepeatSample(capacity, 7);
    for (PurchaseHistories.Summary s : split.summaries()) {
      sample.add(s.x(), s.tx(), s.T(), s.meanRepeatValue());
    }
    return sample;
  }

  @Test
  void belowItsBoundTheFitsAreExactlyThoseOverEveryCustomer() {
    RepeatSample sample = cdnow(500_000);
    assertThat(sample.customers()).isEqualTo(2357);
    assertThat(sample.size()).isEqualTo(2357);

    BgNbdFitter.Fit all = BgNbdFitter.fit(split.rfm());
    BgNbdFitter.Fit sampled = BgNbdFitter.fit(sample.repeatBuyers());
    assertThat(sampled.model()).isEqualTo(all.model());
    assertThat(sampled.logLikelihood()).isEqualTo(all.logLikelihood());
    assertThat(sampled.model().r()).isCloseTo(0.243, within(0.0005));
    assertThat(sampled.model().b()).isCloseTo(2.426, within(0.0005));

    assertThat(sample.repeatCounts()).containsExactly(split.repeatCounts());
    assertThat(sample.repeatMeans()).containsExactly(split.repeatMeans());
    GammaGamma.Fit gg = GammaGamma.fit(sample.repeatCounts(), sample.repeatMeans());
    assertThat(gg.model().p()).isCloseTo(6.25, within(0.005));
    assertThat(gg.logLikelihood()).isCloseTo(-4055.9177, within(0.01));
  }

  @Test
  void aboveItsBoundItHoldsTheBoundAndStandsForEveryone() {
    RepeatSample sample = cdnow(1_000);
    assertThat(sample.customers()).isEqualTo(2357);
    assertThat(sample.size()).isEqualTo(1_000);
    assertThat(sample.repeatBuyers().size()).isEqualTo(1_000);
    assertThat(sample.repeatBuyers().customers()).isEqualTo(1_000);

    // a uniform sample: its share of repeat buyers is near the population's 946 / 2357 (0.401;
    // the sampling standard deviation is 0.012 at this seed-independent size)
    double share = sample.repeatBuyersWithValue() / 1_000.0;
    assertThat(share).isCloseTo(946 / 2357.0, within(0.06));
  }

  @Test
  void refusesAnImpossibleHistory() {
    RepeatSample sample = new RepeatSample(10, 1);
    assertThatThrownBy(() -> sample.add(0, 1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sample.add(2, 3, 1, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThat(sample.customers()).isZero();
  }
}
