package io.nextbest.tools.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.BgNbdFitter;
import io.nextbest.models.clv.GammaGamma;
import io.nextbest.profile.clv.PurchaseHistories;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bin/nextbest clv-fit}: fits BG/NBD and Gamma-Gamma on a transaction file split at a
 * calibration end and prints the estimates and the holdout check as JSON.
 *
 * <pre>
 * bin/nextbest clv-fit --transactions CDNOW_sample.txt --format cdnow --calibration-end 1997-09-30
 *     [--holdout-end 1998-06-30]
 * </pre>
 *
 * Times are in weeks; without --holdout-end the holdout runs to the last transaction.
 */
public final class ClvFitCommand {
  private ClvFitCommand() {}

  public static void main(String[] argv) throws Exception {
    CliArgs args = new CliArgs(argv);
    Map<String, Object> out;
    try {
      out = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("clv-fit: " + e.getMessage());
      System.err.println(
          "usage: clv-fit --transactions FILE --format cdnow|online-retail"
              + " --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD]");
      System.exit(2);
      return;
    }
    System.out.println(
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
  }

  static Map<String, Object> run(CliArgs args) throws Exception {
    Path file = Path.of(args.require("transactions"));
    TransactionFiles.Format format = TransactionFiles.Format.parse(args.get("format", "cdnow"));
    LocalDate calibrationEnd = LocalDate.parse(args.require("calibration-end"));
    long t0 = System.nanoTime();
    System.err.printf("reading %s ...%n", file);
    PurchaseHistories histories = TransactionFiles.read(file, format);
    LocalDate holdoutEnd =
        args.get("holdout-end", null) != null
            ? LocalDate.parse(args.get("holdout-end", null))
            : histories.lastDay();
    PurchaseHistories.Split split = histories.split(calibrationEnd, holdoutEnd);
    System.err.printf(
        "%d customers, %d repeat buyers; fitting BG/NBD ...%n",
        (long) split.rfm().customers(), split.repeatCounts().length);
    long t1 = System.nanoTime();
    BgNbdFitter.Fit bg = BgNbdFitter.fit(split.rfm());
    System.err.println("fitting Gamma-Gamma ...");
    GammaGamma.Fit gg = GammaGamma.fit(split.repeatCounts(), split.repeatMeans());
    long t2 = System.nanoTime();
    BgNbd m = bg.model();
    double predicted = 0;
    for (PurchaseHistories.Summary s : split.summaries()) {
      predicted += m.conditionalExpectedPurchases(split.holdoutWeeks(), s.x(), s.tx(), s.T());
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("customers", (long) split.rfm().customers());
    out.put("calibrationEnd", calibrationEnd.toString());
    out.put("timeUnit", "week");
    out.put(
        "bgnbd",
        ordered(
            "r", round(m.r()),
            "alpha", round(m.alpha()),
            "a", round(m.a()),
            "b", round(m.b()),
            "logLikelihood", round(bg.logLikelihood())));
    out.put(
        "gammaGamma",
        ordered(
            "p", round(gg.model().p()),
            "q", round(gg.model().q()),
            "gamma", round(gg.model().gamma()),
            "logLikelihood", round(gg.logLikelihood()),
            "repeatBuyers", gg.customers()));
    out.put(
        "holdout",
        ordered(
            "start", calibrationEnd.plusDays(1).toString(),
            "end", holdoutEnd.toString(),
            "weeks", round(split.holdoutWeeks()),
            "predictedRepeatPurchases", round(predicted),
            "actualRepeatPurchases", split.holdoutPurchases()));
    out.put(
        "seconds", ordered("read", secs(t1 - t0), "fit", secs(t2 - t1), "total", secs(t2 - t0)));
    return out;
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static double secs(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }
}
