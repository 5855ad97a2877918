package io.nextbest.tools.decision.sim;

import java.util.SplittableRandom;

/**
 * Common random numbers: every draw comes from a stream keyed by (seed, purpose, customer, day), so
 * each policy — the live system and every local baseline — meets the same visits, the same purchase
 * draws and the same unsubscribe draws. A policy changes outcomes only where its actions change a
 * probability, never by shifting a shared generator.
 */
public final class RandomStreams {
  /** What a stream is for; each has its own numbers. */
  public enum Purpose {
    POPULATION,
    VISIT,
    PURCHASE,
    UNSUBSCRIBE,
    RANDOM_POLICY,
    REPORTING
  }

  private final long seed;

  public RandomStreams(long seed) {
    this.seed = seed;
  }

  /** A fresh generator for one purpose, customer and day; the same arguments give the same one. */
  public SplittableRandom of(Purpose purpose, int customer, int day) {
    long h = mix(seed ^ 0x6A09E667F3BCC909L);
    h = mix(h + (purpose.ordinal() + 1) * 0x9E3779B97F4A7C15L);
    h = mix(h + (customer + 1L) * 0xBF58476D1CE4E5B9L);
    h = mix(h + (day + 1L) * 0x94D049BB133111EBL);
    return new SplittableRandom(h);
  }

  /** SplitMix64's finaliser (Steele, Lea and Flood 2014). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A standard normal draw (Box-Muller). */
  public static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
