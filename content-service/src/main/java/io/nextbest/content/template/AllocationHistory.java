package io.nextbest.content.template;

import java.time.LocalDate;
import java.util.List;

/**
 * How a template's traffic was split between its variants, day by day: the impressions shown each
 * UTC day and what became of them. Days without an impression are absent.
 *
 * @param templateId the template
 * @param from the first day covered
 * @param to the last day covered (today, UTC)
 * @param days one entry per variant and day with impressions, oldest first
 */
public record AllocationHistory(long templateId, LocalDate from, LocalDate to, List<Day> days) {

  /**
   * One variant's day.
   *
   * @param day the UTC day the impressions were shown
   * @param variantId the variant
   * @param impressions impressions shown that day
   * @param clicks clicks on those impressions (whenever they came)
   * @param conversions conversions of those impressions
   */
  public record Day(
      LocalDate day, String variantId, long impressions, long clicks, long conversions) {}
}
