package io.nextbest.common.eligibility;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem;
import io.nextbest.common.rules.ProfileRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A campaign with its CEL programs compiled once, shared by every evaluation.
 *
 * @param spec the campaign
 * @param version its version
 * @param rule eligibility rule
 * @param triggerCondition condition on the triggering event (event triggers), else null
 * @param followCondition condition of its journey link, else null
 */
public record CompiledCampaign(
    CampaignSpec spec,
    int version,
    ProfileRules.Rule rule,
    ProfileRules.Rule triggerCondition,
    ProfileRules.Rule followCondition) {

  /**
   * Validates and compiles a normalized spec; every problem, including CEL errors with their line
   * and column, is reported at once.
   */
  public static CompiledCampaign compile(CampaignSpec spec, int version) {
    List<Problem.FieldError> problems = new ArrayList<>(spec.problems());
    ProfileRules.Rule rule = cel(problems, "rule", spec.rule());
    ProfileRules.Rule trigger =
        spec.trigger() != null && spec.trigger().condition() != null
            ? cel(problems, "trigger.condition", spec.trigger().condition())
            : null;
    ProfileRules.Rule follow =
        spec.follows() != null && spec.follows().condition() != null
            ? cel(problems, "follows.condition", spec.follows().condition())
            : null;
    if (!problems.isEmpty()) {
      throw new InvalidInputException("The campaign is not valid.", problems);
    }
    return new CompiledCampaign(spec, version, rule, trigger, follow);
  }

  private static ProfileRules.Rule cel(
      List<Problem.FieldError> problems, String field, String expression) {
    try {
      return ProfileRules.compileForMoments(field, expression);
    } catch (InvalidInputException e) {
      problems.addAll(e.errors());
      return null;
    }
  }

  public String id() {
    return spec.id();
  }
}
