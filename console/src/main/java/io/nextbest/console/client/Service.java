package io.nextbest.console.client;

/** The four services the console reads and writes through. */
public enum Service {
  PROFILE("profile-service"),
  ELIGIBILITY("eligibility-service"),
  DECISION("decision-service"),
  CONTENT("content-service");

  private final String label;

  Service(String label) {
    this.label = label;
  }

  /** The name a person sees, e.g. {@code profile-service}. */
  public String label() {
    return label;
  }
}
