package io.nextbest.content.service;

import java.util.Map;

/**
 * What a frontend renders.
 *
 * @param placement the placement asked for
 * @param decisionId the decision to report clicks and conversions against; null when none was made
 * @param campaignId the campaign shown; null for the placement's default content
 * @param templateId the template rendered
 * @param variantId the variant chosen
 * @param locale the locale the content is written in
 * @param fields rendered fields (headline, body, cta, url, image, colours; subject for e-mail)
 * @param html the fields as an escaped HTML fragment
 * @param reason why this content: campaign, none, control, no-template, anonymous, or
 *     decision-unavailable when decision-service was slow or down
 */
public record ContentResponse(
    String placement,
    String decisionId,
    String campaignId,
    Long templateId,
    String variantId,
    String locale,
    Map<String, String> fields,
    String html,
    String reason) {}
