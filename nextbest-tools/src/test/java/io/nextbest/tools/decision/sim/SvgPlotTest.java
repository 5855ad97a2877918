package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgPlotTest {
  private static Document parse(String svg) throws Exception {
    var f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static String texts(Document doc) {
    NodeList t = doc.getElementsByTagName("text");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < t.getLength(); i++) {
      b.append(t.item(i).getTextContent()).append('\n');
    }
    return b.toString();
  }

  @Test
  void theSimulationPlotHasTitleAxisLabelsLegendAndEveryPolicy() throws Exception {
    SimConfig config = Worlds.defaults(200, 20);
    RandomStreams streams = new RandomStreams(1);
    var customers = Population.draw(config, streams, "t-");
    Map<String, DailyLedger> ledgers = LocalRun.baselines(config, customers, streams, Worlds.START);
    ledgers.put(
        Report.LIVE, LocalRun.run(config, customers, streams, Worlds.START, Baselines.oracle()));
    Report report = Report.of(200, config.firstMeasuredDay(), ledgers);

    Document doc = parse(SimulateCommand.plot(report, "r1", "decision-service live mode"));

    assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
    NodeList lines = doc.getElementsByTagName("polyline");
    List<String> series = new ArrayList<>();
    for (int i = 0; i < lines.getLength(); i++) {
      Element e = (Element) lines.item(i);
      series.add(e.getAttribute("data-series"));
      // the start plus one point per day
      assertThat(e.getAttribute("points").split(" ")).hasSize(config.days() + 1);
    }
    assertThat(series)
        .containsExactly(Report.NONE, Report.MANUAL, Report.RANDOM, Report.ORACLE, Report.LIVE);
    String text = texts(doc);
    assertThat(text)
        .contains("Cumulative value over \"none\" per customer")
        .contains("simulated day")
        .contains("purchase value over none per customer (cumulative)")
        .contains("measured from day 6")
        .contains("NextBest simulation r1: 200 customers, 20 days, decision-service live mode");
    for (String name : series) {
      assertThat(text).contains(name + " (");
    }
  }

  @Test
  void namesAreEscapedAndNegativeValuesFitTheAxis() throws Exception {
    String svg =
        SvgPlot.render(
            "a <b> & c",
            "",
            "x",
            "y",
            List.of(
                new SvgPlot.Series("down & out", new double[] {-1, -3, -2}, "#000", false),
                new SvgPlot.Series("flat", new double[] {0, 0, 0}, "#111", true)),
            1,
            "m");
    Document doc = parse(svg);
    assertThat(texts(doc)).contains("a <b> & c").contains("down & out (-2.00)").contains("-3");
    Element down = (Element) doc.getElementsByTagName("polyline").item(0);
    for (String point : down.getAttribute("points").split(" ")) {
      double y = Double.parseDouble(point.split(",")[1]);
      assertThat(y).isBetween(78.0, 490.0);
    }
  }

  @Test
  void ticksAreRoundNumbers() {
    assertThat(SvgPlot.niceStep(0.013)).isEqualTo(0.02);
    assertThat(SvgPlot.niceStep(3.2)).isEqualTo(5);
    assertThat(SvgPlot.niceStep(7)).isEqualTo(10);
    assertThat(SvgPlot.niceStep(0)).isEqualTo(1);
  }
}
