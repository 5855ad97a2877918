package io.nextbest.common.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.events.ExclusionCode;
import io.nextbest.events.ProfileSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EligibilityEngineTest {
  // 10:00 UTC = 11:00 in Madrid (winter), 05:00 in New York
  private static final Instant NOW = Instant.parse("2026-02-02T10:00:00Z");

  private static final EligibilitySettings SETTINGS =
      new EligibilitySettings(
          0.0,
          "s",
          "do-not-market",
          "UTC",
          Map.of(
              "sms", new EligibilitySettings.QuietHours("21:00", "08:00"),
              "push", new EligibilitySettings.QuietHours("21:00", "08:00")),
          List.of(new EligibilitySettings.ChannelCap("email", 3, 7)));

  private static CampaignSpec spec(String id, List<String> channels, String rule) {
    return TestCampaign.of(id)
        .name(id)
        .channels(channels)
        .placement(channels.contains("web") ? "home-hero" : null)
        .priority(10)
        .rule(rule)
        .build()
        .normalized(null);
  }

  private static CompiledCampaign compiled(CampaignSpec s) {
    return CompiledCampaign.compile(s, 1);
  }

  private static ProfileSnapshot profile(
      String id, Map<String, Object> attributes, Map<String, Object> features, String... consents) {
    Map<String, Object> c = new HashMap<>();
    for (String ch : consents) {
      c.put(ch, Map.of("granted", true, "source", "test", "at", "2026-01-01T00:00:00Z"));
    }
    return new ProfileSnapshot(
        id + ":1",
        ProfileSnapshot.TYPE,
        id,
        NOW,
        1,
        attributes,
        features,
        Map.of(),
        c,
        List.of(),
        null);
  }

  private static EligibilityResult run(
      List<CompiledCampaign> campaigns,
      EligibilitySettings settings,
      ProfileSnapshot p,
      EligibilityEngine.Facts facts) {
    return EligibilityEngine.evaluate(
        new EligibilityEngine.Rules(campaigns, settings),
        new EligibilityEngine.Request(
            p.customerId(), p, null, null, null, NOW, EligibilityEngine.Mode.REALTIME, null),
        facts);
  }

  private static Map<String, String> reasons(EligibilityResult r) {
    Map<String, String> out = new HashMap<>();
    r.excluded().forEach(e -> out.put(e.campaignId(), e.reason()));
    return out;
  }

  private static Map<String, ExclusionCode> codes(EligibilityResult r) {
    Map<String, ExclusionCode> out = new HashMap<>();
    r.excluded().forEach(e -> out.put(e.campaignId(), e.code()));
    return out;
  }

  @Test
  void rulesSeeProfileEventAndContext() {
    var birthdayWeek =
        compiled(
            spec(
                "birthday",
                List.of("web"),
                "features.daysToBirthday <= 7 && 'high-value' in segments"
                    + " && features.daysSinceLastEngagement >= 30 && context.placement == 'home-hero'"));
    var p =
        new ProfileSnapshot(
            "a:1",
            ProfileSnapshot.TYPE,
            "a",
            NOW,
            1,
            Map.of(),
            Map.of("daysToBirthday", 3, "daysSinceLastEngagement", 45),
            Map.of(),
            Map.of(),
            List.of("high-value"),
            null);
    var r =
        EligibilityEngine.evaluate(
            new EligibilityEngine.Rules(List.of(birthdayWeek), SETTINGS),
            new EligibilityEngine.Request(
                "a", p, null, "home-hero", null, NOW, EligibilityEngine.Mode.REALTIME, null),
            EligibilityEngine.Facts.NONE);
    assertThat(r.eligible()).extracting(EligibilityResult.Eligible::id).containsExactly("birthday");

    // event trigger with a condition on the event: new customer searching a low-stock product
    CampaignSpec lowStock =
        TestCampaign.of("low-stock")
            .name("Low stock")
            .channels(List.of("web"))
            .placement("home-hero")
            .priorityMode("auto")
            .trigger(
                new CampaignSpec.Trigger("event", "search", "event.stockLevel < 5", null, null))
            .rule("features.purchaseCount == 0")
            .build()
            .normalized(null);
    var rules = new EligibilityEngine.Rules(List.of(compiled(lowStock)), SETTINGS);
    var newcomer = profile("b", Map.of(), Map.of("purchaseCount", 0));
    var hit =
        EligibilityEngine.evaluate(
            rules,
            new EligibilityEngine.Request(
                "b",
                newcomer,
                Map.of("type", "search", "query", "kettle", "stockLevel", 2),
                null,
                null,
                NOW,
                EligibilityEngine.Mode.EVENT,
                null),
            EligibilityEngine.Facts.NONE);
    assertThat(hit.eligible())
        .extracting(EligibilityResult.Eligible::id)
        .containsExactly("low-stock");
    assertThat(hit.eligible().get(0).priority()).isNull();
    var plenty =
        EligibilityEngine.evaluate(
            rules,
            new EligibilityEngine.Request(
                "b",
                newcomer,
                Map.of("type", "search", "stockLevel", 40),
                null,
                null,
                NOW,
                EligibilityEngine.Mode.EVENT,
                null),
            EligibilityEngine.Facts.NONE);
    assertThat(plenty.eligible()).isEmpty();
    assertThat(plenty.excluded()).isEmpty(); // not its moment, not an exclusion
  }

  @Test
  void rulesThatDoNotCompileAreRejectedWithTheirPosition() {
    assertThatThrownBy(() -> compiled(spec("x", List.of("web"), "features.frequency >")))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).errors())
                    .anySatisfy(
                        f -> {
                          assertThat(f.field()).isEqualTo("rule");
                          assertThat(f.message()).contains("line 1, column");
                        }));
    assertThatThrownBy(() -> compiled(spec("x", List.of("web"), "unknownVar > 1")))
        .isInstanceOf(InvalidInputException.class)
        .hasFieldOrProperty("errors");
    // not boolean
    assertThatThrownBy(() -> compiled(spec("x", List.of("web"), "1 + 2")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void everyExclusionCarriesItsReason() {
    List<CompiledCampaign> campaigns =
        List.of(
            compiled(spec("mail", List.of("email"), "true")),
            compiled(spec("text", List.of("sms"), "true")),
            compiled(spec("rich", List.of("web"), "features.monetary > 1000")),
            compiled(
                TestCampaign.of("paused")
                    .name("Paused")
                    .status("paused")
                    .channels(List.of("web"))
                    .placement("home-hero")
                    .priority(1)
                    .build()
                    .normalized(null)),
            compiled(
                TestCampaign.of("ended")
                    .name("Ended")
                    .channels(List.of("web"))
                    .placement("home-hero")
                    .endsAt(NOW.minusSeconds(1))
                    .priority(1)
                    .build()
                    .normalized(null)),
            compiled(
                TestCampaign.of("once")
                    .name("Once a month")
                    .channels(List.of("web"))
                    .placement("home-hero")
                    .priority(1)
                    .cap(new CampaignSpec.Cap(1, 30))
                    .build()
                    .normalized(null)),
            compiled(
                TestCampaign.of("second")
                    .name("Follow-up")
                    .channels(List.of("web"))
                    .placement("home-hero")
                    .priority(1)
                    .follows(new CampaignSpec.JourneyLink("once", 3, null))
                    .build()
                    .normalized(null)));
    // 23:00 in Madrid: quiet hours for sms; e-mail consent missing
    var madrid = profile("m", Map.of("timezone", "Europe/Madrid"), Map.of("monetary", 20), "sms");
    Instant lateEvening = Instant.parse("2026-02-02T22:00:00Z");
    var facts =
        new EligibilityEngine.Facts(
            List.of(
                new EligibilityEngine.Contact(
                    "once", "web", lateEvening.minus(Duration.ofDays(1)))),
            Set.of());
    var r =
        EligibilityEngine.evaluate(
            new EligibilityEngine.Rules(campaigns, SETTINGS),
            new EligibilityEngine.Request(
                "m", madrid, null, null, null, lateEvening, EligibilityEngine.Mode.REALTIME, null),
            facts);
    assertThat(r.eligible()).isEmpty();
    assertThat(reasons(r))
        .containsEntry("mail", "no email consent")
        .containsEntry("text", "quiet hours until 08:00 Europe/Madrid (sms)")
        .containsEntry("rich", "rule not met: features.monetary > 1000")
        .containsEntry("paused", "campaign is paused")
        .containsEntry("ended", "campaign ended at " + NOW.minusSeconds(1))
        .containsEntry("once", "campaign cap 1/30d reached");
    assertThat(reasons(r).get("second")).startsWith("follows 'once' after 3 days: due ");
    assertThat(codes(r))
        .containsEntry("mail", ExclusionCode.NO_CONSENT)
        .containsEntry("text", ExclusionCode.QUIET_HOURS)
        .containsEntry("rich", ExclusionCode.RULE_NOT_MET)
        .containsEntry("paused", ExclusionCode.INACTIVE)
        .containsEntry("ended", ExclusionCode.ENDED)
        .containsEntry("once", ExclusionCode.CAMPAIGN_CAP)
        .containsEntry("second", ExclusionCode.JOURNEY_NOT_DUE);

    // three e-mails this week: the channel cap; the do-not-contact list; the exclusion segment
    var consented = profile("e", Map.of(), Map.of(), "email");
    List<EligibilityEngine.Contact> three = new ArrayList<>();
    IntStream.range(0, 3)
        .forEach(
            i ->
                three.add(
                    new EligibilityEngine.Contact(
                        "other", "email", NOW.minus(Duration.ofDays(i + 1)))));
    var mailOnly = List.of(compiled(spec("mail", List.of("email"), "true")));
    assertThat(
            reasons(
                run(mailOnly, SETTINGS, consented, new EligibilityEngine.Facts(three, Set.of()))))
        .containsEntry("mail", "frequency cap 3/7d reached (email)");
    assertThat(
            codes(run(mailOnly, SETTINGS, consented, new EligibilityEngine.Facts(three, Set.of()))))
        .containsEntry("mail", ExclusionCode.FREQUENCY_CAP);
    assertThat(
            reasons(
                run(
                    mailOnly,
                    SETTINGS,
                    consented,
                    new EligibilityEngine.Facts(List.of(), Set.of("*")))))
        .containsEntry("mail", "on the do-not-contact list (email)");
    assertThat(
            codes(
                run(
                    mailOnly,
                    SETTINGS,
                    consented,
                    new EligibilityEngine.Facts(List.of(), Set.of("*")))))
        .containsEntry("mail", ExclusionCode.DO_NOT_CONTACT);
    var excludedSegment =
        new ProfileSnapshot(
            "x:1",
            ProfileSnapshot.TYPE,
            "x",
            NOW,
            1,
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of("email", Map.of("granted", true)),
            List.of("do-not-market"),
            null);
    assertThat(reasons(run(mailOnly, SETTINGS, excludedSegment, EligibilityEngine.Facts.NONE)))
        .containsEntry("mail", "in the exclusion segment 'do-not-market'");
    assertThat(codes(run(mailOnly, SETTINGS, excludedSegment, EligibilityEngine.Facts.NONE)))
        .containsEntry("mail", ExclusionCode.EXCLUSION_SEGMENT);
    // an old send no longer counts; the journey's due date has passed
    var old =
        new EligibilityEngine.Facts(
            List.of(new EligibilityEngine.Contact("once", "web", NOW.minus(Duration.ofDays(40)))),
            Set.of());
    var later = run(campaigns, SETTINGS, madrid, old);
    assertThat(later.eligible())
        .extracting(EligibilityResult.Eligible::id)
        .contains("once", "second", "text"); // 11:00 in Madrid: no quiet hours
  }

  @Test
  void multiChannelCampaignUsesTheFirstAllowedChannel() {
    var c = List.of(compiled(spec("multi", List.of("email", "push", "web"), "true")));
    var pushOnly = profile("p", Map.of(), Map.of(), "push");
    var r = run(c, SETTINGS, pushOnly, EligibilityEngine.Facts.NONE);
    assertThat(r.eligible())
        .singleElement()
        .satisfies(e -> assertThat(e.channel()).isEqualTo("push"));
    var withdrawn =
        new ProfileSnapshot(
            "w:1",
            ProfileSnapshot.TYPE,
            "w",
            NOW,
            1,
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of("web", Map.of("granted", false)),
            List.of(),
            null);
    assertThat(reasons(run(c, SETTINGS, withdrawn, EligibilityEngine.Facts.NONE)).get("multi"))
        .isEqualTo("no email consent; no push consent; no web consent");
    // every channel closed for the same kind of reason: that code
    assertThat(codes(run(c, SETTINGS, withdrawn, EligibilityEngine.Facts.NONE)))
        .containsEntry("multi", ExclusionCode.NO_CONSENT);
    // for different kinds: no channel
    var webWithdrawnAndMailCapped =
        run(
            List.of(compiled(spec("two", List.of("email", "web"), "true"))),
            SETTINGS,
            new ProfileSnapshot(
                "w:2",
                ProfileSnapshot.TYPE,
                "w2",
                NOW,
                1,
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of("email", Map.of("granted", true), "web", Map.of("granted", false)),
                List.of(),
                null),
            new EligibilityEngine.Facts(List.of(), Set.of("email")));
    assertThat(reasons(webWithdrawnAndMailCapped))
        .containsEntry("two", "on the do-not-contact list (email); no web consent");
    assertThat(codes(webWithdrawnAndMailCapped)).containsEntry("two", ExclusionCode.NO_CHANNEL);
  }

  @Test
  void eligibleCampaignsCarryTheirAttributes() {
    var shoes = new CampaignSpec.Attributes("shoes", 20.0, List.of("promo", "spring"));
    var c =
        List.of(
            compiled(
                TestCampaign.of("described")
                    .name("Described")
                    .channels(List.of("email"))
                    .priority(10)
                    .attributes(shoes)
                    .build()
                    .normalized(null)),
            compiled(spec("plain", List.of("email"), "true")));
    var r =
        run(c, SETTINGS, profile("a", Map.of(), Map.of(), "email"), EligibilityEngine.Facts.NONE);
    Map<String, CampaignSpec.Attributes> byId = new HashMap<>();
    r.eligible().forEach(e -> byId.put(e.id(), e.attributes()));
    assertThat(byId).containsOnlyKeys("described", "plain").containsEntry("described", shoes);
    assertThat(byId.get("plain")).isNull();
  }

  @Test
  void controlGroupsAreStableAndOfTheConfiguredSize() {
    int members = 0;
    for (int i = 0; i < 20_000; i++) {
      String id = "customer-" + i;
      boolean in = EligibilityEngine.inGroup("salt", id, 10.0);
      assertThat(EligibilityEngine.inGroup("salt", id, 10.0)).isEqualTo(in);
      if (in) {
        members++;
        // a larger share keeps everyone already in
        assertThat(EligibilityEngine.inGroup("salt", id, 20.0)).isTrue();
      }
    }
    assertThat(members).isBetween(1_800, 2_200);
    assertThat(EligibilityEngine.inGroup("salt", "anyone", 0.0)).isFalse();

    var settings = new EligibilitySettings(100.0 / 2, "salt", null, "UTC", Map.of(), List.of());
    var c = List.of(compiled(spec("web", List.of("web"), "true")));
    String held =
        IntStream.range(0, 100)
            .mapToObj(i -> "c" + i)
            .filter(id -> EligibilityEngine.inGroup("salt", id, 50.0))
            .findFirst()
            .orElseThrow();
    var r = run(c, settings, profile(held, Map.of(), Map.of()), EligibilityEngine.Facts.NONE);
    assertThat(r.globalControl()).isTrue();
    assertThat(reasons(r)).containsEntry("web", "global control group (50% held out)");
    assertThat(codes(r)).containsEntry("web", ExclusionCode.GLOBAL_CONTROL);
    // held out last: a campaign the customer would not get anyway keeps its own reason, so only
    // moments the customer would really have had are logged as global-control moments
    var never = List.of(compiled(spec("never", List.of("web"), "false")));
    assertThat(
            reasons(
                run(
                    never,
                    settings,
                    profile(held, Map.of(), Map.of()),
                    EligibilityEngine.Facts.NONE)))
        .containsEntry("never", "rule not met: false");

    // campaign control group: still eligible, flagged so the decision is logged but not sent
    CampaignSpec half =
        TestCampaign.of("half")
            .name("Half")
            .channels(List.of("web"))
            .placement("home-hero")
            .priority(5)
            .controlPercent(50.0)
            .build()
            .normalized(null);
    long controls =
        IntStream.range(0, 2_000)
            .mapToObj(
                i ->
                    run(
                        List.of(compiled(half)),
                        SETTINGS,
                        profile("k" + i, Map.of(), Map.of()),
                        EligibilityEngine.Facts.NONE))
            .filter(x -> x.eligible().get(0).control())
            .count();
    assertThat(controls).isBetween(900L, 1_100L);
  }

  @Test
  void badCampaignsAreDescribedFieldByField() {
    CampaignSpec bad =
        TestCampaign.of("Bad Id")
            .name("")
            .status("sleeping")
            .goal("clicks")
            .channels(List.of("email", "fax", "email"))
            .startsAt(NOW)
            .endsAt(NOW.minusSeconds(60))
            .priorityMode("manual")
            .trigger(new CampaignSpec.Trigger("schedule", null, null, null, 1))
            .rule("true")
            .controlPercent(-5.0)
            .attributionWindowDays(0)
            .cap(new CampaignSpec.Cap(0, 0))
            .follows(new CampaignSpec.JourneyLink("Bad Id", -1, null))
            .build()
            .normalized(null);
    assertThat(bad.problems())
        .extracting(f -> f.field())
        .contains(
            "id",
            "name",
            "status",
            "goal",
            "channels[1]",
            "channels[2]",
            "endsAt",
            "priority",
            "trigger.everyMinutes",
            "controlPercent",
            "attributionWindowDays",
            "cap.max",
            "cap.days",
            "follows.campaignId",
            "follows.afterDays");
  }
}
