package io.nextbest.common.auth;

/**
 * Roles a NextBest JWT carries in its {@code groups} claim. Admin and marketer APIs name them in
 * {@code @RolesAllowed}; the customer-facing APIs (events, profiles, eligibility, decisions,
 * outcomes, content) do not.
 */
public final class Roles {
  /** Everything, including erasure, exports, model refits and live-policy switches. */
  public static final String ADMIN = "admin";

  /** Campaigns, templates, segments, reports and evaluations. */
  public static final String MARKETER = "marketer";

  /**
   * A simulation or replay: may ask for decisions at another moment than now ({@code at}), which
   * are logged as such.
   */
  public static final String SIMULATION = "simulation";

  /** Another NextBest service reading campaigns, settings or segment members. */
  public static final String SERVICE = "service";

  private Roles() {}
}
