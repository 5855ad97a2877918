package io.nextbest.tools.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recommender on the real UCI Online Retail invoices, under the service's default bounds, beats
 * the popularity ranking.
 */
class RecsEvalCommandTest {
  static final Path DATA =
      Path.of("../../shared/data/online-retail/online_retail_2010-12_2011-12.csv.gz");

  @Test
  @SuppressWarnings("unchecked")
  void coPurchaseBeatsPopularityOnOnlineRetail() throws Exception {
    List<RecsEvalCommand.Line> lines = RecsEvalCommand.read(DATA);
    Map<String, Object> r =
        RecsEvalCommand.evaluate(
            lines, LocalDate.parse("2011-10-31"), 10, RecsEvalCommand.defaults());
    assertTrue((long) r.get("testCustomers") > 1000, "test customers " + r.get("testCustomers"));
    Map<String, Double> model = (Map<String, Double>) r.get("model");
    Map<String, Double> popularity = (Map<String, Double>) r.get("popularity");
    assertTrue(model.get("ndcg@10") > popularity.get("ndcg@10") * 1.5, r.toString());
    assertTrue(model.get("hitRate@10") > popularity.get("hitRate@10") * 1.3, r.toString());
    assertEquals(true, r.get("modelBeatsPopularity"));
  }

  @Test
  void onlyProductsCount() {
    assertTrue(RecsEvalCommand.isProduct("85123A"));
    assertEquals(false, RecsEvalCommand.isProduct("POST"));
    assertEquals(false, RecsEvalCommand.isProduct("BANK CHARGES"));
  }
}
