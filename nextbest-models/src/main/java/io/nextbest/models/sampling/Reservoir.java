package io.nextbest.models.sampling;

import java.util.SplittableRandom;

/**
 * Where each item of a stream of unknown length goes in a uniform sample of at most {@code
 * capacity} items (reservoir sampling, Vitter 1985, Algorithm R): the first {@code capacity} items
 * fill the slots in arrival order, and the n-th item after them replaces a random slot with
 * probability capacity / n. The caller keeps the items in its own storage, so a sample of numbers
 * can stay in primitive arrays. Below capacity nothing is left out and the order is the stream's.
 * Seeded, so the same stream gives the same sample.
 */
public final class Reservoir {
  private final int capacity;
  private final SplittableRandom random;
  private long seen;

  public Reservoir(int capacity, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a reservoir needs room for one item; got " + capacity);
    }
    this.capacity = capacity;
    this.random = new SplittableRandom(seed);
  }

  /** The slot the next item of the stream goes to, or -1 when it is left out of the sample. */
  public int offer() {
    long n = seen++;
    if (n < capacity) {
      return (int) n;
    }
    long slot = random.nextLong(n + 1);
    return slot < capacity ? (int) slot : -1;
  }

  /** Items offered so far: the population the sample stands for. */
  public long seen() {
    return seen;
  }

  /** Items in the sample: the slots filled so far. */
  public int size() {
    return (int) Math.min(seen, capacity);
  }

  public int capacity() {
    return capacity;
  }
}
