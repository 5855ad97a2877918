package io.nextbest.tools.profile;

import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.BgNbdFitter;
import io.nextbest.models.clv.GammaGamma;
import io.nextbest.models.clv.RepeatBuyers;
import java.util.SplittableRandom;

/**
 * Times the BG/NBD + Gamma-Gamma fit on synthetic customers drawn with the CDNOW parameters and
 * prints how close the estimates come to the truth. {@code --customers N} (default 1,000,000).
 */
public final class ClvFitBenchmark {
  private ClvFitBenchmark() {}

  public static void main(String[] argv) {
    CliArgs args = new CliArgs(argv);
    int n = Integer.parseInt(args.get("customers", "1000000"));
    BgNbd truth = new BgNbd(0.243, 4.414, 0.793, 2.426);
    long t0 = System.nanoTime();
    System.err.printf("drawing %,d customers over 52 weeks ...%n", n);
    RepeatBuyers data = SyntheticCustomers.draw(truth, n, 52, 42);
    int repeaters = 0;
    for (int i = 0; i < data.size(); i++) {
      repeaters += data.x(i) > 0 ? 1 : 0;
    }
    int[] xs = new int[repeaters];
    double[] means = new double[repeaters];
    SplittableRandom rnd = new SplittableRandom(7);
    GammaGamma spendTruth = new GammaGamma(6.25, 3.74, 15.44);
    for (int i = 0, j = 0; i < data.size(); i++) {
      if (data.x(i) > 0) {
        xs[j] = data.x(i);
        means[j] = drawMean(rnd, spendTruth, xs[j]);
        j++;
      }
    }
    long t1 = System.nanoTime();
    System.err.println("fitting BG/NBD ...");
    BgNbdFitter.Fit bg = BgNbdFitter.fit(data);
    long t2 = System.nanoTime();
    System.err.println("fitting Gamma-Gamma ...");
    GammaGamma.Fit gg = GammaGamma.fit(xs, means);
    long t3 = System.nanoTime();
    System.out.printf(
        "{\"customers\":%d,\"repeatBuyers\":%d,\"bgnbdFitSeconds\":%.2f,\"bgnbdEvaluations\":%d,"
            + "\"gammaGammaFitSeconds\":%.2f,\"totalFitSeconds\":%.2f,"
            + "\"bgnbd\":{\"r\":%.4f,\"alpha\":%.4f,\"a\":%.4f,\"b\":%.4f},"
            + "\"gammaGamma\":{\"p\":%.4f,\"q\":%.4f,\"gamma\":%.4f},"
            + "\"truth\":{\"r\":0.243,\"alpha\":4.414,\"a\":0.793,\"b\":2.426,\"p\":6.25,\"q\":3.74,\"gamma\":15.44},"
            + "\"drawSeconds\":%.2f}%n",
        n,
        repeaters,
        (t2 - t1) / 1e9,
        bg.evaluations(),
        (t3 - t2) / 1e9,
        (t3 - t1) / 1e9,
        bg.model().r(),
        bg.model().alpha(),
        bg.model().a(),
        bg.model().b(),
        gg.model().p(),
        gg.model().q(),
        gg.model().gamma(),
        (t1 - t0) / 1e9);
  }

  /** Mean of x transaction values drawn from the Gamma-Gamma process. */
  private static double drawMean(SplittableRandom rnd, GammaGamma g, int x) {
    double nu = SyntheticCustomers.gamma(rnd, g.q()) / g.gamma();
    double sum = 0;
    for (int k = 0; k < x; k++) {
      sum += SyntheticCustomers.gamma(rnd, g.p()) / nu;
    }
    return sum / x;
  }
}
