package io.nextbest.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** The segment profile table and its plot. */
class SegmentProfilesTest {
  private static SegmentProfiles.Member m(String segment, double recency, double clv) {
    return new SegmentProfiles.Member(segment, recency, 1, 100, 50, 200, 0.9, clv);
  }

  @Test
  void eachSegmentShowsItsMembersShareAndMedians() {
    var rows =
        SegmentProfiles.table(
            List.of(m("at-risk", 200, 10), m("at-risk", 300, 30), m("loyal", 5, 500)));
    var atRisk = rows.stream().filter(r -> r.segment().equals("at-risk")).findFirst().orElseThrow();
    assertThat(atRisk.members()).isEqualTo(2);
    assertThat(atRisk.share()).isEqualTo(2 / 3.0);
    assertThat(atRisk.recencyDays()).isEqualTo(250);
    assertThat(atRisk.clv12m()).isEqualTo(20);
    // every segment has its line, an empty one too
    assertThat(rows).hasSize(5);
    assertThat(SegmentProfiles.text(rows)).contains("at-risk", "new-exploring");
  }

  @Test
  void thePlotIsAWellFormedSvgDocument() throws Exception {
    String svg =
        SegmentProfiles.svg(List.of(m("at-risk", 200, 10), m("loyal", 5, 500)), "a <title>");
    var doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg).contains("12-month CLV", "recency (days)", "a &lt;title&gt;");
  }
}
