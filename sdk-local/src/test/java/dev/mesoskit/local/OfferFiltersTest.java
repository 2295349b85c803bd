package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Resources;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Refuse filters as Mesos' hierarchical allocator has them: by resources, not by agent. */
class OfferFiltersTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Resources REMAINDER = Resources.parse("cpus:0.4;mem:7000");

  private final OfferFilters filters = new OfferFilters(Duration.ofMillis(100));

  @Test
  void aDeclinedOfferHidesTheSameResourcesAndLessUntilTheRefusalEnds() {
    filters.refuse("a1", REMAINDER, Duration.ofSeconds(5), T0);

    assertThat(filters.filters("*", "a1", REMAINDER, T0.plusSeconds(1))).isTrue();
    assertThat(filters.filters("*", "a1", Resources.parse("cpus:0.4;mem:100"), T0.plusSeconds(1)))
        .isTrue();
    assertThat(filters.filters("*", "a1", REMAINDER, T0.plusMillis(4999))).isTrue();
    assertThat(filters.filters("*", "a1", REMAINDER, T0.plusSeconds(5))).isFalse();
  }

  @Test
  void resourcesFreedByAFinishedTaskMakeTheOfferLargerSoItIsMadeDespiteTheFilter() {
    filters.refuse("a1", REMAINDER, Duration.ofSeconds(5), T0);

    Resources grown = REMAINDER.plus(Resources.parse("cpus:0.5;mem:256"));
    assertThat(filters.filters("*", "a1", grown, T0.plusSeconds(1))).isFalse();
    assertThat(filters.filters("*", "a1", Resources.parse("cpus:0.4;mem:7000;disk:1"),
        T0.plusSeconds(1))).isFalse();
  }

  @Test
  void aFilterHidesOnlyItsOwnAgent() {
    filters.refuse("a1", REMAINDER, Duration.ofSeconds(5), T0);

    assertThat(filters.filters("*", "a2", REMAINDER, T0.plusSeconds(1))).isFalse();
  }

  @Test
  void anyOfSeveralFiltersOnAnAgentHidesWhatItContains() {
    filters.refuse("a1", Resources.parse("cpus:1;mem:100"), Duration.ofSeconds(5), T0);
    filters.refuse("a1", Resources.parse("cpus:0.1;mem:5000"), Duration.ofSeconds(5), T0);

    assertThat(filters.filters("*", "a1", Resources.parse("cpus:0.1;mem:4000"), T0)).isTrue();
    assertThat(filters.filters("*", "a1", Resources.parse("cpus:0.5;mem:50"), T0)).isTrue();
    assertThat(filters.filters("*", "a1", Resources.parse("cpus:0.5;mem:4000"), T0)).isFalse();
  }

  @Test
  void aRefusalShorterThanTheAllocationIntervalLastsOneInterval() {
    filters.refuse("a1", REMAINDER, Duration.ofMillis(10), T0);

    assertThat(filters.filters("*", "a1", REMAINDER, T0.plusMillis(99))).isTrue();
    assertThat(filters.filters("*", "a1", REMAINDER, T0.plusMillis(100))).isFalse();
  }

  @Test
  void aRefusalOfZeroSecondsOrOfNothingInstallsNoFilter() {
    filters.refuse("a1", REMAINDER, Duration.ZERO, T0);
    filters.refuse("a1", Resources.empty(), Duration.ofSeconds(5), T0);

    assertThat(filters.filters("*", "a1", REMAINDER, T0)).isFalse();
    assertThat(filters.filters("*", "a1", Resources.empty(), T0)).isFalse();
  }

  @Test
  void clearingRemovesEveryFilter() {
    filters.refuse("a1", REMAINDER, Duration.ofSeconds(5), T0);
    filters.refuse("a2", REMAINDER, Duration.ofSeconds(5), T0);

    filters.clear();

    assertThat(filters.filters("*", "a1", REMAINDER, T0)).isFalse();
    assertThat(filters.filters("*", "a2", REMAINDER, T0)).isFalse();
  }

  @Test
  void aRefusalHidesOffersToItsRoleOnlyAsMesosKeepsFiltersPerRole() {
    filters.refuse("web", "a1", REMAINDER, Duration.ofSeconds(5), T0);

    assertThat(filters.filters("web", "a1", REMAINDER, T0.plusSeconds(1))).isTrue();
    assertThat(filters.filters("batch", "a1", REMAINDER, T0.plusSeconds(1))).isFalse();
    assertThat(filters.filters("web", "a2", REMAINDER, T0.plusSeconds(1))).isFalse();
  }

  @Test
  void reviveOfSomeRolesRemovesTheirFiltersAndThoseOfUnknownRoleButNotTheOthers() {
    filters.refuse("web", "a1", REMAINDER, Duration.ofSeconds(5), T0);
    filters.refuse("batch", "a1", REMAINDER, Duration.ofSeconds(5), T0);
    filters.refuse("a2", REMAINDER, Duration.ofSeconds(5), T0);

    filters.clear(java.util.List.of("web"));

    assertThat(filters.filters("web", "a1", REMAINDER, T0)).isFalse();
    assertThat(filters.filters("batch", "a1", REMAINDER, T0)).isTrue();
    assertThat(filters.filters("batch", "a2", REMAINDER, T0)).isFalse();
  }

  @Test
  void aRefusalOfUnknownRoleHidesOffersToEveryRole() {
    filters.refuse("a1", REMAINDER, Duration.ofSeconds(5), T0);

    assertThat(filters.filters("web", "a1", REMAINDER, T0)).isTrue();
    assertThat(filters.filters("batch", "a1", REMAINDER, T0)).isTrue();
  }
}
