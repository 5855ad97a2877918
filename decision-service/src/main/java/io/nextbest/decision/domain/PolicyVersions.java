package io.nextbest.decision.domain;

/** The policy versions a logged decision can carry that are not a model's. */
public final class PolicyVersions {
  /** A customer of the global control group: logged, never sent. */
  public static final String GLOBAL_CONTROL = "global-control";

  private PolicyVersions() {}
}
