package dev.mesoskit.offers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every packing strategy runs a task of a framework with several roles on resources allocated to
 * its role alone: never on another role's, never on two roles' at once, and says when the role is
 * why a task waits.
 */
class PackingRolesTest {

  /** Every stock strategy, and core's default first fit. */
  static Stream<PackingStrategy> everyStrategy() {
    return Stream.of(PackingStrategies.firstFit(), PackingStrategies.binPack(),
        PackingStrategies.spread(), PackingStrategies.dotProduct(), PackingStrategies.l2Norm(),
        PackingStrategies.consolidate(), PackingStrategies.overflowSearch(),
        PackingStrategy.firstFit());
  }

  /** A task of a framework whose roles are {@code batch} (the first) and {@code web}. */
  private static PendingTask task(String id, String role, String resources) {
    TaskSpec spec = TaskSpec.builder().name(id).resources(resources).command("true").build();
    return new PendingTask(TaskId.of(id), spec, Optional.of(role), role.equals("batch"));
  }

  /** An offer whose resources are allocated to {@code role}, or to none when null. */
  private static Offer offer(String id, String agent, String resources, String role) {
    return new Offer(id, agent, agent + ".example", allocated(resources, role), Map.of(),
        Set.of());
  }

  private static Resources allocated(String resources, String role) {
    if (role == null) {
      return Resources.parse(resources);
    }
    List<Resource> list = new ArrayList<>();
    for (Resource r : Resources.parse(resources).list()) {
      list.add(r.withAllocationRole(role));
    }
    return Resources.of(list);
  }

  private static Placement placement(String task, String agent, String resources, String role) {
    return new Placement(TaskId.of(task), agent, allocated(resources, role), Resources.empty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void placesATaskWhenAnOfferOfTwoRolesComesBeforeAnOfferOfOne(PackingStrategy strategy) {
    // o1 makes two bins (one per role) out of the first offer's room: o2's bin still has room.
    Offer o1 = new Offer("o1", "a1", "a1.example", Resources.of(
        allocated("cpus:1", "web").list().get(0), allocated("cpus:0.25", "batch").list().get(0)),
        Map.of(), Set.of());
    List<Offer> offers = List.of(o1, offer("o2", "a2", "cpus:1", "batch"));

    Packing packing = strategy.pack(List.of(task("b1", "batch", "cpus:0.5")), offers);

    assertThat(packing.placements()).containsExactly(placement("b1", "a2", "cpus:0.5", "batch"));
    assertThat(packing.unplaced()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void placesEachTaskOnTheResourcesOfItsRoleOnly(PackingStrategy strategy) {
    List<Offer> offers = List.of(
        offer("o1", "a1", "cpus:2;mem:1024", "web"),
        offer("o2", "a1", "cpus:4;mem:4096", "batch"),
        offer("o3", "a2", "cpus:1;mem:512", "batch"));
    List<PendingTask> tasks = List.of(
        task("w1", "web", "cpus:2;mem:512"),
        task("b1", "batch", "cpus:3;mem:1024"),
        task("w2", "web", "cpus:1;mem:128"));

    Packing packing = strategy.pack(tasks, offers);

    assertThat(packing.placements()).containsExactlyInAnyOrder(
        placement("w1", "a1", "cpus:2;mem:512", "web"),
        placement("b1", "a1", "cpus:3;mem:1024", "batch"));
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("w2"), "needs cpus 1 of role web, offers of role web have 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void neverMixesTheResourcesOfTwoRolesInOneTask(PackingStrategy strategy) {
    List<Offer> offers = List.of(
        offer("o1", "a1", "cpus:2;mem:1024", "web"),
        offer("o2", "a1", "cpus:4;mem:4096", "batch"));

    Packing packing = strategy.pack(List.of(task("w", "web", "cpus:3;mem:512")), offers);

    assertThat(packing.placements()).isEmpty();
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("w"), "needs cpus 3 of role web, offers of role web have 2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void offersWithoutAllocationRolesServeTheFirstRole(PackingStrategy strategy) {
    List<Offer> offers = List.of(offer("o1", "a1", "cpus:4;mem:4096", null));

    Packing packing = strategy.pack(List.of(task("w", "web", "cpus:1;mem:128"),
        task("b", "batch", "cpus:1;mem:128")), offers);

    assertThat(packing.placements()).containsExactly(
        placement("b", "a1", "cpus:1;mem:128", null));
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("w"), "no offers of role web"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void spreadsTasksOfOneRoleOverTheAgentsOfferingThatRole(PackingStrategy strategy) {
    List<Offer> offers = List.of(
        offer("o1", "a1", "cpus:8;mem:8192", "batch"),
        offer("o2", "a2", "cpus:1;mem:1024", "web"),
        offer("o3", "a3", "cpus:1;mem:1024", "web"));

    Packing packing = strategy.pack(List.of(task("w1", "web", "cpus:1;mem:128"),
        task("w2", "web", "cpus:1;mem:128")), offers);

    assertThat(packing.placements()).extracting(Placement::agentId)
        .containsExactlyInAnyOrder("a2", "a3");
    assertThat(packing.placements()).allSatisfy(p -> assertThat(p.resources().list())
        .allSatisfy(r -> assertThat(r.allocationRole()).contains("web")));
    assertThat(packing.unplaced()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void aTaskOfUnknownRoleMayUseAnyOneRole(PackingStrategy strategy) {
    List<Offer> offers = List.of(
        offer("o1", "a1", "cpus:1;mem:1024", "web"),
        offer("o2", "a1", "cpus:1;mem:1024", "batch"));
    PendingTask anyRole = new PendingTask(TaskId.of("t"),
        TaskSpec.builder().name("t").resources("cpus:2;mem:128").command("true").build());

    Packing packing = strategy.pack(List.of(anyRole), offers);

    assertThat(packing.placements()).isEmpty();
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("t"), "needs cpus 2, the largest offer has 1"));
  }
}
