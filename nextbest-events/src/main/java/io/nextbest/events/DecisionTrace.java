package io.nextbest.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a decision was made from and how, as published with it ({@link Decision#features()}) and
 * stored in the decision log: learning and off-policy evaluation rebuild every candidate's vector
 * from it, and the API shows it. Keys nothing was recorded for are left out ({@code context},
 * {@code ignored}); unknown keys are skipped on reading, so records written by another version
 * still read.
 *
 * @param encoder id of the feature encoder (its schema): a vector is only reused under the same id
 * @param x the shared context vector
 * @param facts the facts every candidate's vector is built from, in the encoder's own compact form
 * @param context the moment's request context, absent when there was none
 * @param ignored request-context keys the schema does not declare, absent when none
 * @param policy how the policy chose
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DecisionTrace(
    String encoder,
    double[] x,
    Map<String, Object> facts,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> context,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> ignored,
    Explanation policy) {

  /**
   * How the policy chose, with what learning needs to score the decision later.
   *
   * @param rule what decided: manual, thompson, apprentice, none, global-control
   * @param modelVersion version of the model the policy sampled
   * @param probabilities the probability of every action ("none" included)
   * @param priorities manual priorities by campaign id (the other candidates are auto)
   * @param controls ids of the candidates whose control group holds the customer
   * @param channels each candidate's channel by campaign id
   * @param attributes each described candidate's attributes by campaign id, absent when none is
   * @param windowDays the attribution window in days
   * @param remainingValue the customer's predicted 12-month value (what an unsubscribe destroys),
   *     null without a prediction
   * @param upliftMean expected incremental value of the chosen action over none
   * @param upliftSd its standard deviation
   * @param runnerUp the best other action ("none" for none), or null
   * @param runnerUpUplift its expected incremental value
   * @param shadow in apprentice mode, what the model would have chosen; else null
   * @param sendAt when to send, null when nothing is sent
   * @param simulatedBy who asked for a moment other than now; absent for a real moment
   * @param explored the live policy's uniform exploration chose the action (not its draw); absent
   *     when false
   * @param exclusions the campaigns excluded at the decision's moment with their reason (at most
   *     {@link Moment.Exclusion#MAX}); absent when none, empty when read from a record without it
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Explanation(
      String rule,
      long modelVersion,
      Map<String, Double> probabilities,
      Map<String, Integer> priorities,
      List<String> controls,
      Map<String, String> channels,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Attributes> attributes,
      int windowDays,
      Double remainingValue,
      double upliftMean,
      double upliftSd,
      String runnerUp,
      double runnerUpUplift,
      String shadow,
      Instant sendAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String simulatedBy,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean explored,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Moment.Exclusion> exclusions) {

    public Explanation {
      exclusions = exclusions == null ? List.of() : exclusions;
    }

    /** An explanation without exclusions. */
    public Explanation(
        String rule,
        long modelVersion,
        Map<String, Double> probabilities,
        Map<String, Integer> priorities,
        List<String> controls,
        Map<String, String> channels,
        Map<String, Attributes> attributes,
        int windowDays,
        Double remainingValue,
        double upliftMean,
        double upliftSd,
        String runnerUp,
        double runnerUpUplift,
        String shadow,
        Instant sendAt,
        String simulatedBy,
        boolean explored) {
      this(
          rule,
          modelVersion,
          probabilities,
          priorities,
          controls,
          channels,
          attributes,
          windowDays,
          remainingValue,
          upliftMean,
          upliftSd,
          runnerUp,
          runnerUpUplift,
          shadow,
          sendAt,
          simulatedBy,
          explored,
          List.of());
    }

    /** An explanation of a choice that was not an exploration. */
    public Explanation(
        String rule,
        long modelVersion,
        Map<String, Double> probabilities,
        Map<String, Integer> priorities,
        List<String> controls,
        Map<String, String> channels,
        Map<String, Attributes> attributes,
        int windowDays,
        Double remainingValue,
        double upliftMean,
        double upliftSd,
        String runnerUp,
        double runnerUpUplift,
        String shadow,
        Instant sendAt,
        String simulatedBy) {
      this(
          rule,
          modelVersion,
          probabilities,
          priorities,
          controls,
          channels,
          attributes,
          windowDays,
          remainingValue,
          upliftMean,
          upliftSd,
          runnerUp,
          runnerUpUplift,
          shadow,
          sendAt,
          simulatedBy,
          false);
    }
  }

  /**
   * What a candidate campaign is, as the policy saw it.
   *
   * @param category category promoted, or null
   * @param discountDepth percent off, or null
   * @param tags free tags
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Attributes(String category, Double discountDepth, List<String> tags) {}
}
