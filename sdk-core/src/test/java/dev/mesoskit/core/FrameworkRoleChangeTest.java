package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.FrameworkInfo;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Framework#changeRoles}: UPDATE_FRAMEWORK with the framework's current information, tasks
 * of new roles accepted, pending tasks of removed roles ended.
 */
@Timeout(30)
class FrameworkRoleChangeTest {
  private final TestRig rig = new TestRig();

  private static TaskSpec task(String id, String role, String resources) {
    return TaskSpec.builder().id(id).name(id).resources(resources).command("run").role(role)
        .build();
  }

  private static TaskSpec gpuTask(String id) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:1;mem:128;gpus:1").command("train")
        .build();
  }

  private void startedWithRoles() {
    rig.start(rig.builder().roles("batch", "web"));
    rig.subscribed();
  }

  private void changeRoles(String first, String... more) {
    rig.framework.changeRoles(first, more);
    rig.loop.runPending();
  }

  private Task outcome(String id) {
    CompletableFuture<Task> f = rig.framework.outcome(TaskId.of(id));
    assertThat(f).isDone();
    return f.join();
  }

  @Test
  void sendsTheCurrentInformationWithTheNewRolesWhileSubscribed() {
    startedWithRoles();

    changeRoles("batch", "db");

    FrameworkInfo subscribed = rig.backend.info();
    assertThat(rig.backend.frameworkUpdates()).containsExactly(
        subscribed.withId("fw-1").roles(List.of("batch", "db")));
    assertThat(rig.backend.frameworkUpdates().get(0).capabilities())
        .isEqualTo(Set.of("PARTITION_AWARE"));
  }

  @Test
  void keepsGpuResourcesDeclaredBeforeWhenChangingRoles() {
    rig.started();
    rig.submit(gpuTask("train"));

    changeRoles("*", "gpu");

    assertThat(rig.backend.frameworkUpdates()).hasSize(2);
    FrameworkInfo sent = rig.backend.frameworkUpdates().get(1);
    assertThat(sent.roles()).containsExactly("*", "gpu");
    assertThat(sent.capabilities()).isEqualTo(Set.of("PARTITION_AWARE", "GPU_RESOURCES"));
    assertThat(sent.id()).contains("fw-1");
  }

  @Test
  void keepsGpuResourcesDeclaredAtSubscribeWhenChangingRoles() {
    rig.framework = rig.builder().build();
    rig.framework.submit(gpuTask("train"));
    rig.framework.start();
    rig.loop.runPending();
    rig.subscribed();

    changeRoles("ml");

    assertThat(rig.backend.frameworkUpdates()).containsExactly(
        rig.backend.info().withId("fw-1").roles(List.of("ml")));
    assertThat(rig.backend.frameworkUpdates().get(0).capabilities())
        .isEqualTo(Set.of("PARTITION_AWARE", "GPU_RESOURCES"));
  }

  @Test
  void theGpuUpdateStartsFromTheChangedRolesNotTheConfiguredOnes() {
    startedWithRoles();
    changeRoles("batch", "ml");

    rig.submit(gpuTask("train"));

    assertThat(rig.backend.frameworkUpdates()).hasSize(2);
    FrameworkInfo sent = rig.backend.frameworkUpdates().get(1);
    assertThat(sent).isEqualTo(rig.backend.info().withId("fw-1").roles(List.of("batch", "ml"))
        .capabilities(Set.of("PARTITION_AWARE", "GPU_RESOURCES")));
  }

  @Test
  void acceptsAndLaunchesATaskOfANewRoleAfterTheChange() {
    startedWithRoles();
    assertThatThrownBy(() -> rig.framework.submit(task("d", "db", "cpus:1;mem:128")))
        .isInstanceOf(IllegalArgumentException.class);

    changeRoles("batch", "db");
    rig.submit(task("d", "db", "cpus:1;mem:128"));
    rig.clearCalls();
    rig.offers(rig.backend.newOffer("a1", "cpus:4;mem:1024", "db"));

    assertThat(rig.calls()).contains("accept [o1] [d.1]");
    assertThat(rig.task("d").state()).isEqualTo(TaskState.STAGING);
  }

  @Test
  void aPendingTaskOfARemovedRoleEndsFailedAndItsRoleIsRefusedFromThenOn() {
    startedWithRoles();
    rig.submit(task("w", "web", "cpus:1;mem:128"));
    rig.submit(task("b", "batch", "cpus:1;mem:128"));

    changeRoles("batch");

    Task w = outcome("w");
    assertThat(w.state()).isEqualTo(TaskState.FAILED);
    assertThat(w.message()).contains("role web was removed from the framework");
    assertThat(rig.task("b").state()).isEqualTo(TaskState.PENDING);
    assertThat(rig.task("b").done()).isFalse();
    assertThatThrownBy(() -> rig.framework.submit(task("w2", "web", "cpus:1;mem:128")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role must be one of the framework's roles [batch] but was 'web' for task w2");
  }

  @Test
  void aPendingPodOfARemovedRoleEndsFailedWhole() {
    startedWithRoles();
    List<TaskId> ids = rig.framework.submit(PodSpec.builder("p")
        .task(task("pw", "web", "cpus:1;mem:64")).task(task("ps", "web", "cpus:1;mem:64"))
        .build());
    rig.loop.runPending();

    changeRoles("batch");

    for (TaskId id : ids) {
      assertThat(outcome(id.value()).state()).isEqualTo(TaskState.FAILED);
      assertThat(outcome(id.value()).message())
          .contains("role web was removed from the framework");
    }
  }

  @Test
  void aLaunchedTaskOfARemovedRoleRunsOn() {
    startedWithRoles();
    rig.submit(task("w", "web", "cpus:1;mem:128"));
    rig.offers(rig.backend.newOffer("a1", "cpus:4;mem:1024", "web"));
    rig.update("w.1", "a1", TaskState.RUNNING, null, null);
    rig.clearCalls();

    changeRoles("batch");

    assertThat(rig.task("w").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.backend.kills()).isEmpty();
    assertThat(rig.calls()).containsExactly("updateFramework [PARTITION_AWARE]");
  }

  @Test
  void rolesChangedBeforeStartAreUsedAtSubscribe() {
    rig.framework = rig.builder().roles("batch", "web").build();

    rig.framework.changeRoles("ml", "batch");
    rig.framework.start();
    rig.loop.runPending();
    rig.subscribed();

    assertThat(rig.backend.info().roles()).containsExactly("ml", "batch");
    assertThat(rig.backend.frameworkUpdates()).isEmpty();
  }

  @Test
  void rolesChangedWhileDisconnectedAreSentAtTheNextSubscription() {
    startedWithRoles();
    rig.disconnected();

    changeRoles("batch", "ml");
    assertThat(rig.backend.frameworkUpdates()).isEmpty();
    rig.subscribed();

    assertThat(rig.backend.frameworkUpdates()).containsExactly(
        rig.backend.info().withId("fw-1").roles(List.of("batch", "ml")));
  }

  @Test
  void aBackendThatCannotUpdateFailsTheChangeNamingItAndTheRolesStay() {
    startedWithRoles();
    rig.backend.rejectUpdateFramework();

    assertThatThrownBy(() -> rig.framework.changeRoles("batch"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("backend FakeBackend cannot change the roles of framework test to [batch]:"
            + " FakeBackend cannot update a framework (UPDATE_FRAMEWORK)")
        .hasCauseInstanceOf(UnsupportedOperationException.class);
    rig.loop.runPending();

    rig.submit(task("w", "web", "cpus:1;mem:128"));
    assertThat(rig.task("w").state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void refusesBlankOrRepeatedRoles() {
    startedWithRoles();

    assertThatThrownBy(() -> rig.framework.changeRoles("batch", "batch"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("roles must be non-blank and distinct but were [batch, batch]");
    assertThatThrownBy(() -> rig.framework.changeRoles(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("roles must be non-blank and distinct but were [ ]");
    assertThatThrownBy(() -> rig.framework.changeRoles(null, "web"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("roles must be non-blank and distinct but were [null, web]");
    assertThat(rig.backend.frameworkUpdates()).isEmpty();
  }

  @Test
  void refusesAChangeAfterClose() {
    startedWithRoles();
    rig.framework.close();

    assertThatThrownBy(() -> rig.framework.changeRoles("batch"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot change the roles of framework test: it is stopped");
  }
}
