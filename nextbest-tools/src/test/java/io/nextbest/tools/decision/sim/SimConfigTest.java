package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SimConfigTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void defaultsAreValidAndMeasureTheLastTwoThirds() {
    SimConfig d = SimConfig.defaults();
    d.check();
    assertThat(d.customers()).isEqualTo(1000);
    assertThat(d.days()).isEqualTo(60);
    assertThat(d.firstMeasuredDay()).isEqualTo(20);
    assertThat(d.campaigns()).hasSize(5);
    assertThat(d.manualIndexes()).containsExactly(4, 2, 0, 1, 3);
  }

  @Test
  void aFileOverridesOnlyTheKeysItNames() throws Exception {
    SimConfig c =
        SimConfig.merge(
            json.readTree("{\"visitProbability\": 0.5, \"population\": {\"vipShare\": 0.2}}"),
            json);
    SimConfig d = SimConfig.defaults();
    assertThat(c.visitProbability()).isEqualTo(0.5);
    assertThat(c.population().vipShare()).isEqualTo(0.2);
    assertThat(c.population().baseRateMedian()).isEqualTo(d.population().baseRateMedian());
    assertThat(c.campaigns()).isEqualTo(d.campaigns());
  }

  @Test
  void aCampaignListReplacesTheDefaultOne() throws Exception {
    SimConfig c =
        SimConfig.merge(
            json.readTree(
                "{\"campaigns\": [{\"id\": \"only\", \"channel\": \"web\", \"discountDepth\": 0,"
                    + " \"tags\": [], \"effect\": {\"base\": 0.01}}],"
                    + " \"manualOrder\": [\"only\"]}"),
            json);
    assertThat(c.campaigns()).hasSize(1);
    assertThat(c.campaigns().get(0).effect().base()).isEqualTo(0.01);
    assertThat(c.manualIndexes()).containsExactly(0);
  }

  @Test
  void anUnknownKeyIsRefused() {
    assertThatThrownBy(() -> SimConfig.merge(json.readTree("{\"visitProbabilty\": 0.5}"), json))
        .hasMessageContaining("visitProbabilty");
  }

  @Test
  void theManualOrderMustNameCampaigns() {
    assertThatThrownBy(
            () -> SimConfig.merge(json.readTree("{\"manualOrder\": [\"sim-nope\"]}"), json))
        .hasMessageContaining("manualOrder names 'sim-nope'");
  }

  @Test
  void impossibleNumbersAreRefusedWithWhatToFix() {
    assertThatThrownBy(() -> SimConfig.defaults().with(0, 1, 1, 5).check())
        .hasMessageContaining("customers must be 1 to 1000000")
        .hasMessageContaining("days must be 2 to 3650")
        .hasMessageContaining("measureFrom must be a day from 0 to days - 1");
  }
}
