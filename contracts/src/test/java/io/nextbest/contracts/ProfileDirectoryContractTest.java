package io.nextbest.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.eligibility.client.ProfileDirectoryClient;
import io.nextbest.profile.rest.ProfileDirectoryResource;
import io.nextbest.profile.segments.SegmentService;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** eligibility-service's {@link ProfileDirectoryClient} pages read profile-service's lists. */
class ProfileDirectoryContractTest {

  @Test
  void customerPageCarriesTheIdsAndTheNextCursor() throws Exception {
    ProfileDirectoryResource.Page server =
        new ProfileDirectoryResource.Page(List.of("c-1", "c-2"), "c-2");

    ProfileDirectoryClient.IdPage client =
        ServiceJson.roundTrip(server, ProfileDirectoryClient.IdPage.class);

    assertThat(client.ids()).containsExactly("c-1", "c-2");
    assertThat(client.next()).isEqualTo("c-2");
  }

  @Test
  void lastCustomerPageHasNoCursor() throws Exception {
    ProfileDirectoryClient.IdPage client =
        ServiceJson.roundTrip(
            new ProfileDirectoryResource.Page(List.of(), null),
            ProfileDirectoryClient.IdPage.class);

    assertThat(client.ids()).isEmpty();
    assertThat(client.next()).isNull();
  }

  @Test
  void segmentMemberPageCarriesTheMembersIdsAndTheNextCursor() throws Exception {
    Instant at = Instant.parse("2026-11-30T08:00:00Z");
    SegmentService.MemberPage server =
        new SegmentService.MemberPage(
            "vip",
            3,
            List.of(new SegmentService.Member("c-1", at), new SegmentService.Member("c-3", at)),
            "c-3",
            true);

    ProfileDirectoryClient.IdPage client =
        ServiceJson.roundTrip(server, ProfileDirectoryClient.IdPage.class);

    assertThat(client.ids()).containsExactly("c-1", "c-3");
    assertThat(client.next()).isEqualTo("c-3");
  }
}
