package io.nextbest.content.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentRendererTest {

  @Test
  void fieldsWithUnsafeAddressesOrColoursAreLeftOut() {
    var safe =
        ContentRenderer.safe(
            Map.of(
                "headline", "Hi",
                "url", "javascript:alert(1)",
                "image", "data:image/svg+xml,<svg onload=alert(1)>",
                "background", "red;position:fixed",
                "accent", "#ff0066"));
    assertThat(safe)
        .containsEntry("headline", "Hi")
        .containsEntry("accent", "#ff0066")
        .doesNotContainKeys("url", "image", "background");
    assertThat(ContentRenderer.safe(Map.of("url", "https://shop.example.com/x", "image", "/i.png")))
        .containsEntry("url", "https://shop.example.com/x")
        .containsEntry("image", "/i.png");
  }

  @Test
  void aFieldThatRendersPastTheOutputLimitFailsInsteadOfFillingTheHeap() {
    var engine = io.quarkus.qute.Engine.builder().addDefaults().build();
    var bomb =
        new io.nextbest.content.template.TemplateChecker.Compiled(
            engine.parse("{#for i in 100}{#for j in 100}" + "x".repeat(20) + "{/for}{/for}"),
            false);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ContentRenderer.render(Map.of("body", bomb), Map.of()))
        .isInstanceOf(io.quarkus.qute.TemplateException.class)
        .hasMessageContaining("more than 100000 characters");
    var fine =
        new io.nextbest.content.template.TemplateChecker.Compiled(
            engine.parse("{#for i in 3}ab{/for}"), false);
    assertThat(ContentRenderer.render(Map.of("body", fine), Map.of()))
        .containsEntry("body", "ababab");
  }

  @Test
  void htmlEscapesEveryFieldAndRefusesScriptUrls() {
    String html =
        ContentRenderer.html(
            "home-hero",
            Map.of(
                "headline", "<script>alert(1)</script>",
                "body", "Tom & \"Jerry\"",
                "cta", "Go",
                "url", "javascript:alert(1)",
                "image", "//evil.example/x.png",
                "background", "red;position:fixed"));
    assertThat(html)
        .doesNotContain("<script>")
        .doesNotContain("javascript:")
        .doesNotContain("evil.example")
        .doesNotContain("position:fixed")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("Tom &amp; &quot;Jerry&quot;")
        .contains("href=\"#\"");
  }

  @Test
  void safeLinksImagesAndColoursAreKept() {
    String html =
        ContentRenderer.html(
            "cart",
            Map.of(
                "headline",
                "H",
                "cta",
                "Buy",
                "url",
                "/checkout",
                "image",
                "https://cdn.example/a.png",
                "background",
                "#fafafa"));
    assertThat(html)
        .contains("href=\"/checkout\"")
        .contains("src=\"https://cdn.example/a.png\"")
        .contains("background:#fafafa;");
  }
}
