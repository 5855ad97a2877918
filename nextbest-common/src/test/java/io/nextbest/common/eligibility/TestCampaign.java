package io.nextbest.common.eligibility;

import java.time.Instant;
import java.util.List;

/** Test campaigns: only the fields a test cares about. */
public final class TestCampaign {
  private final Object[] v = new Object[18];

  public static TestCampaign of(String id) {
    TestCampaign s = new TestCampaign();
    s.v[0] = id;
    return s;
  }

  private TestCampaign set(int i, Object value) {
    v[i] = value;
    return this;
  }

  public TestCampaign name(String x) {
    return set(1, x);
  }

  public TestCampaign status(String x) {
    return set(3, x);
  }

  public TestCampaign goal(String x) {
    return set(4, x);
  }

  public TestCampaign channels(List<String> x) {
    return set(5, x);
  }

  public TestCampaign placement(String x) {
    return set(6, x);
  }

  public TestCampaign startsAt(Instant x) {
    return set(7, x);
  }

  public TestCampaign endsAt(Instant x) {
    return set(8, x);
  }

  public TestCampaign priorityMode(String x) {
    return set(9, x);
  }

  public TestCampaign priority(Integer x) {
    return set(10, x);
  }

  public TestCampaign trigger(CampaignSpec.Trigger x) {
    return set(11, x);
  }

  public TestCampaign rule(String x) {
    return set(12, x);
  }

  public TestCampaign controlPercent(Double x) {
    return set(13, x);
  }

  public TestCampaign attributionWindowDays(Integer x) {
    return set(14, x);
  }

  public TestCampaign cap(CampaignSpec.Cap x) {
    return set(15, x);
  }

  public TestCampaign follows(CampaignSpec.JourneyLink x) {
    return set(16, x);
  }

  public TestCampaign attributes(CampaignSpec.Attributes x) {
    return set(17, x);
  }

  @SuppressWarnings("unchecked")
  public CampaignSpec build() {
    return new CampaignSpec(
        (String) v[0],
        (String) v[1],
        (String) v[2],
        (String) v[3],
        (String) v[4],
        (List<String>) v[5],
        (String) v[6],
        (Instant) v[7],
        (Instant) v[8],
        (String) v[9],
        (Integer) v[10],
        (CampaignSpec.Trigger) v[11],
        (String) v[12],
        (Double) v[13],
        (Integer) v[14],
        (CampaignSpec.Cap) v[15],
        (CampaignSpec.JourneyLink) v[16],
        (CampaignSpec.Attributes) v[17]);
  }
}
