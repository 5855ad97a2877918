package io.nextbest.tools.decision.sim;

import java.util.List;

/** A policy the simulator runs itself, without the services. */
public interface LocalPolicy {
  /** Marks "none" among the returned choices. */
  int NONE = -1;

  /**
   * Chooses at a decision moment.
   *
   * @param candidates campaign indexes the customer may be sent (never empty)
   * @return one of the candidates, or {@link #NONE}
   */
  int choose(Visit visit, List<Integer> candidates, Market market);
}
