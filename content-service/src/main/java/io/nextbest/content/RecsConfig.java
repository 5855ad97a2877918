package io.nextbest.content;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/**
 * Bounds of the co-purchase graph ({@code nextbest.recs.*}): what PostgreSQL keeps per item, what a
 * purchase batch holds while it is written, and what each replica holds in memory. The README's
 * "Memory budget" gives the sizes these defaults lead to.
 */
@ConfigMapping(prefix = "nextbest.recs")
public interface RecsConfig {

  /** Distinct items of one order that count (the first ones); an order adds up to n² − n pairs. */
  @WithDefault("40")
  @Min(1)
  int maxItemsPerOrder();

  /**
   * Pairs a purchase batch aggregates in memory before it writes them, in one transaction: a polled
   * batch is written in as many such chunks as it needs (an order is never split, so a chunk holds
   * at most this or one order's pairs, whichever is larger).
   */
  @WithDefault("20000")
  @Min(1)
  int pairsPerWrite();

  /**
   * Co-purchase pairs PostgreSQL keeps per item, the strongest ones; an item's weaker pairs are
   * deleted each time a purchase touches the item. A few times {@link #neighbours()}, so that a
   * pair climbing into the top has room to be counted.
   */
  @WithDefault("200")
  @Min(1)
  int pairsKeptPerItem();

  /**
   * Items held in memory, the most popular ones: an item outside them is recommended only through
   * the popularity fallback and a history made of them gets popular items, as an unknown item does.
   */
  @WithDefault("30000")
  @Min(0)
  int maxItems();

  /** Strongest neighbours held in memory per item (among the items held). */
  @WithDefault("50")
  @Min(0)
  int neighbours();

  /**
   * Items read per query when the graph is reloaded: bounds the rows held at once to this many
   * items' neighbours.
   */
  @WithDefault("500")
  @Min(1)
  int loadPage();
}
