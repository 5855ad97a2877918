package io.nextbest.content.service;

import java.util.Map;

/**
 * What the frontend renders at a placement.
 *
 * @param placement the placement asked for
 * @param decisionId the decision behind this content, or null for the placement default
 * @param campaignId the campaign shown, or null for the placement default
 * @param variantId the content variant shown, or "default"
 * @param fields rendered fields: headline, body, cta
 * @param html the fields rendered as an HTML fragment
 */
public record ContentResponse(
    String placement,
    String decisionId,
    String campaignId,
    String variantId,
    Map<String, String> fields,
    String html) {}
