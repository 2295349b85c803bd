package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.spi.TaskLaunch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A framework of several roles runs each task on resources allocated to the task's role. */
@Timeout(30)
class FrameworkRolesTest {
  private final TestRig rig = new TestRig();

  private static TaskSpec task(String id, String role, String resources) {
    return TaskSpec.builder().id(id).name(id).resources(resources).command("run").role(role)
        .build();
  }

  private void startedWithRoles() {
    rig.start(rig.builder().roles("batch", "web"));
    rig.subscribed();
  }

  @Test
  void subscribesWithEveryRole() {
    startedWithRoles();

    assertThat(rig.backend.info().roles()).containsExactly("batch", "web");
  }

  @Test
  void refusesATaskOfARoleTheFrameworkDoesNotHave() {
    startedWithRoles();

    assertThatThrownBy(() -> rig.framework.submit(task("db", "db", "cpus:1;mem:128")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role must be one of the framework's roles [batch, web] but was 'db' for"
            + " task db");
    assertThat(rig.framework.task(TaskId.of("db"))).isEmpty();
  }

  @Test
  void refusesResourcesReservedForAnotherRoleThanTheTasks() {
    startedWithRoles();

    assertThatThrownBy(() -> rig.framework.submit(task("w", "web", "cpus(batch):1;mem:128")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resources role must be the task's role 'web' but was 'batch' for task w");
  }

  @Test
  void placesEachTaskOnTheOffersOfItsRole() {
    startedWithRoles();
    rig.submit(task("w", "web", "cpus:1;mem:128"));
    rig.submit(TaskSpec.builder().id("b").name("b").resources("cpus:1;mem:128").command("run")
        .build());

    rig.offers(rig.backend.newOffer("a1", "cpus:4;mem:1024", "web"),
        rig.backend.newOffer("a2", "cpus:4;mem:1024", "batch"));

    assertThat(rig.calls()).contains("accept [o1] [w.1]", "accept [o2] [b.1]");
    List<TaskLaunch> launches = rig.backend.launches();
    assertThat(launches).allSatisfy(l -> assertThat(l.resources().list())
        .allSatisfy(r -> assertThat(r.allocationRole())
            .contains(l.mesosTaskId().startsWith("w") ? "web" : "batch")));
  }

  @Test
  void offersOfTwoRolesOnOneAgentAreAcceptedApartNeverAggregated() {
    startedWithRoles();
    rig.submit(task("w", "web", "cpus:1;mem:128"));

    // Mesos refuses an ACCEPT aggregating offers of several roles ("Aggregated offers must be
    // allocated to the same role").
    rig.offers(rig.backend.newOffer("a1", "cpus:4;mem:1024", "web"),
        rig.backend.newOffer("a1", "cpus:4;mem:1024", "batch"));

    assertThat(rig.calls()).contains("accept [o1] [w.1]", "decline [o2]");
  }

  @Test
  void tasksOfTwoRolesOnOneAgentGoOutInOneAcceptPerRole() {
    startedWithRoles();
    rig.submit(task("w", "web", "cpus:1;mem:128"));
    rig.submit(task("b", "batch", "cpus:1;mem:128"));

    rig.offers(rig.backend.newOffer("a1", "cpus:4;mem:1024", "web"),
        rig.backend.newOffer("a1", "cpus:4;mem:1024", "batch"));

    assertThat(rig.calls()).contains("accept [o1] [w.1]", "accept [o2] [b.1]");
  }

  @Test
  void offersWithoutAllocationRolesServeTheFirstRoleOnly() {
    startedWithRoles();
    rig.submit(task("w", "web", "cpus:1;mem:128"));
    rig.submit(task("b", "batch", "cpus:1;mem:128"));

    rig.offer("a1", "cpus:4;mem:1024");

    assertThat(rig.calls()).contains("accept [o1] [b.1]");
    assertThat(rig.task("w").state()).isEqualTo(TaskState.PENDING);
    assertThat(rig.task("w").message()).contains("no offers of role web");
  }

  @Test
  void thePendingReasonNamesTheRoleWhenItIsTheReason() {
    startedWithRoles();
    rig.submit(task("w", "web", "cpus:1;mem:128"));

    rig.offers(rig.backend.newOffer("a1", "cpus:0.5;mem:1024", "web"),
        rig.backend.newOffer("a2", "cpus:8;mem:1024", "batch"));

    assertThat(rig.task("w").message())
        .contains("needs cpus 1 of role web, offers of role web have 0.5");
    assertThat(rig.backend.accepts()).isEmpty();
  }

  @Test
  void aStrategyThatPlacesATaskOnAnotherRolesResourcesFailsTheFramework() {
    PackingStrategy wrongRole = (tasks, offers) -> new Packing(List.of(new Placement(
        tasks.get(0).id(), offers.get(0).agentId(), offers.get(0).resources(),
        Resources.empty())), java.util.Map.of());
    rig.start(rig.builder().roles("batch", "web").packing(wrongRole));
    rig.subscribed();
    rig.submit(task("w", "web", "cpus:1;mem:128"));

    rig.offers(rig.backend.newOffer("a1", "cpus:1;mem:128", "batch"));

    assertThat(rig.framework.isTerminated()).isTrue();
    assertThatThrownBy(rig.framework::awaitTermination)
        .hasMessageContaining("broke its contract: placed task w of role web on resources"
            + " allocated to batch");
  }

  @Test
  void aSingleRoleFrameworkTakesOffersAllocatedToItsRole() {
    rig.start(rig.builder().role("prod"));
    rig.subscribed();
    rig.submit("t", "cpus:1;mem:128");

    rig.offers(rig.backend.newOffer("a1", "cpus:4;mem:1024", "prod"));

    assertThat(rig.calls()).contains("accept [o1] [t.1]");
  }
}
