package io.nextbest.common.auth;

/**
 * Roles and scopes a NextBest JWT carries in its {@code groups} claim, named by
 * {@code @RolesAllowed}. Backends get scoped tokens ({@code events:write}, {@code profiles:read},
 * {@code profiles:write}, {@code identity:merge}); people get roles (admin, marketer); the services
 * call each other with a {@code service} token. Only the frontend content API is public (site key).
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

  /** A backend sending events ({@code POST /api/v1/events}). */
  public static final String EVENTS_WRITE = "events:write";

  /** A backend reading profiles and their predictions (personal data). */
  public static final String PROFILES_READ = "profiles:read";

  /** A backend writing profile attributes and consents. */
  public static final String PROFILES_WRITE = "profiles:write";

  /**
   * A backend linking an anonymous or secondary id to a customer (log-in stitching); merging an
   * identified customer into another needs {@link #ADMIN} and is audited.
   */
  public static final String IDENTITY_MERGE = "identity:merge";

  private Roles() {}
}
