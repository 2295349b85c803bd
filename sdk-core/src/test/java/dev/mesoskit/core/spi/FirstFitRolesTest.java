package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default first fit keeps each task to the resources of its allocation role. */
class FirstFitRolesTest {
  private final PackingStrategy firstFit = PackingStrategy.firstFit();

  private static PendingTask task(String id, String role, String resources) {
    return new PendingTask(TaskId.of(id),
        TaskSpec.builder().name(id).resources(resources).command("true").build(),
        Optional.of(role), role.equals("batch"));
  }

  private static Resources allocated(String resources, String role) {
    List<Resource> list = new ArrayList<>();
    for (Resource r : Resources.parse(resources).list()) {
      list.add(role == null ? r : r.withAllocationRole(role));
    }
    return Resources.of(list);
  }

  private static Offer offer(String id, String agent, String resources, String role) {
    return new Offer(id, agent, agent + ".host", allocated(resources, role), Map.of(), Set.of());
  }

  @Test
  void aTaskGoesToThePoolOfItsRoleOnTheFirstAgentThatHasOne() {
    Packing packing = firstFit.pack(List.of(task("w", "web", "cpus:1;mem:64")), List.of(
        offer("o1", "a1", "cpus:8;mem:1024", "batch"),
        offer("o2", "a2", "cpus:1;mem:64", "web")));

    assertThat(packing.placements()).containsExactly(new Placement(TaskId.of("w"), "a2",
        allocated("cpus:1;mem:64", "web"), Resources.empty()));
  }

  @Test
  void anOfferHoldingTwoRolesIsSplitAndNeverMixed() {
    Resources both = allocated("cpus:1;mem:64", "web").plus(allocated("cpus:1;mem:64", "batch"));
    Offer mixed = new Offer("o1", "a1", "a1.host", both, Map.of(), Set.of());

    Packing packing = firstFit.pack(List.of(task("w", "web", "cpus:2;mem:64")), List.of(mixed));

    assertThat(packing.placements()).isEmpty();
    assertThat(packing.unplaced()).containsEntry(TaskId.of("w"),
        "needs cpus 2 of role web, offers of role web have 1");
  }

  @Test
  void splitsResourcesByAllocationRoleWithoutCopyingWhenOfOneRole() {
    Resources web = allocated("cpus:1;mem:64", "web");

    assertThat(AllocationRoles.split(web)).containsExactly(Map.entry(Optional.of("web"), web));
    assertThat(AllocationRoles.split(web.plus(allocated("cpus:2", "batch"))))
        .containsExactly(Map.entry(Optional.of("web"), web),
            Map.entry(Optional.of("batch"), allocated("cpus:2", "batch")));
    assertThat(AllocationRoles.split(Resources.empty()))
        .containsExactly(Map.entry(Optional.empty(), Resources.empty()));
  }

  @Test
  void aPendingTaskOfTheFirstRoleMayUseResourcesWithoutAllocationRole() {
    assertThat(task("b", "batch", "cpus:1;mem:1").mayUse(Optional.empty())).isTrue();
    assertThat(task("w", "web", "cpus:1;mem:1").mayUse(Optional.empty())).isFalse();
    assertThat(task("w", "web", "cpus:1;mem:1").mayUse(Optional.of("batch"))).isFalse();
    assertThat(task("w", "web", "cpus:1;mem:1").mayUse(Optional.of("web"))).isTrue();
  }
}
