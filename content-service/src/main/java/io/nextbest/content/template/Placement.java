package io.nextbest.content.template;

import java.util.List;

/**
 * A slot content is shown in.
 *
 * @param name placement name
 * @param channel web, in-app, email or push
 * @param fields fields every variant must define
 * @param budgetMs how long the frontend call may wait for a decision before it serves the default
 */
public record Placement(String name, String channel, List<String> fields, int budgetMs) {}
