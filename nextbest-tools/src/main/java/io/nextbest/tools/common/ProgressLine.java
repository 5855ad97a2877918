package io.nextbest.tools.common;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr for long data commands: redrawn in place on a terminal, a plain line
 * every few seconds otherwise (CI logs).
 */
public final class ProgressLine {
  private static final int WIDTH = 30;

  private final PrintStream out = System.err;
  private final boolean terminal = System.console() != null;
  private final String label;
  private final long started = System.nanoTime();
  private long lastDrawn;

  public ProgressLine(String label) {
    this.label = label;
  }

  /** Redraws when due; {@code fraction} of the work is done, {@code items} counted so far. */
  public void update(double fraction, long items, String unit) {
    long now = System.nanoTime();
    long every = terminal ? 200_000_000L : 5_000_000_000L;
    if (now - lastDrawn < every) {
      return;
    }
    lastDrawn = now;
    draw(fraction, items, unit, false);
  }

  public void finish(long items, String unit) {
    draw(1, items, unit, true);
  }

  private void draw(double fraction, long items, String unit, boolean last) {
    double f = Math.max(0, Math.min(1, fraction));
    double seconds = (System.nanoTime() - started) / 1e9;
    double rate = seconds > 0 ? items / seconds : 0;
    double eta = f > 0.001 ? seconds * (1 - f) / f : Double.NaN;
    int filled = (int) Math.round(f * WIDTH);
    String bar =
        "=".repeat(filled)
            + (filled < WIDTH ? ">" : "")
            + " ".repeat(Math.max(0, WIDTH - filled - 1));
    String line =
        String.format(
            Locale.ROOT,
            "%s [%s] %3.0f%% %,d %s %,.0f/s %s",
            label,
            bar,
            f * 100,
            items,
            unit,
            rate,
            last
                ? String.format(Locale.ROOT, "in %.1f s", seconds)
                : Double.isNaN(eta) ? "" : String.format(Locale.ROOT, "ETA %.0f s", eta));
    if (terminal) {
      out.print("\r" + line + (last ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }
}
