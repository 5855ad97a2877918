package io.nextbest.content.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentRendererTest {

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
