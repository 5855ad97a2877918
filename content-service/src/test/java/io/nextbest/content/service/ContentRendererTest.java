package io.nextbest.content.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentRendererTest {

  @Test
  void htmlEscapesEveryField() {
    String html =
        ContentRenderer.html(
            "home-hero",
            Map.of(
                "headline", "<script>alert(1)</script>", "body", "Tom & \"Jerry\"", "cta", "Go"));
    assertThat(html)
        .doesNotContain("<script>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("Tom &amp; &quot;Jerry&quot;");
  }
}
