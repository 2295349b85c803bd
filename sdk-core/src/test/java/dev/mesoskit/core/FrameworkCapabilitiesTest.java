package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.FrameworkInfo;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The framework declares the capabilities its tasks need: GPU_RESOURCES, REGION_AWARE. */
@Timeout(30)
class FrameworkCapabilitiesTest {
  private final TestRig rig = new TestRig();

  private static TaskSpec gpuTask(String id) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:1;mem:128;gpus:1").command("train")
        .build();
  }

  @Test
  void aGpuTaskSubmittedBeforeStartDeclaresGpuResourcesAtSubscribe() {
    rig.framework = rig.builder().build();
    rig.framework.submit(gpuTask("train"));
    rig.framework.start();
    rig.loop.runPending();
    rig.subscribed();

    assertThat(rig.backend.info().capabilities())
        .containsExactlyInAnyOrder("PARTITION_AWARE", "GPU_RESOURCES");
    assertThat(rig.backend.frameworkUpdates()).isEmpty();
  }

  @Test
  void theFirstGpuTaskSubmittedWhileSubscribedAddsGpuResourcesOnce() {
    rig.started();
    rig.submit("cpu", "cpus:1;mem:128");
    assertThat(rig.backend.frameworkUpdates()).isEmpty();

    rig.submit(gpuTask("train-1"));
    rig.submit(gpuTask("train-2"));

    assertThat(rig.backend.info().capabilities()).containsExactly("PARTITION_AWARE");
    assertThat(rig.backend.frameworkUpdates()).hasSize(1);
    FrameworkInfo updated = rig.backend.frameworkUpdates().get(0);
    assertThat(updated.id()).contains("fw-1");
    assertThat(updated.capabilities()).isEqualTo(Set.of("PARTITION_AWARE", "GPU_RESOURCES"));
    assertThat(rig.calls()).containsOnlyOnce("updateFramework [GPU_RESOURCES, PARTITION_AWARE]");
  }

  @Test
  void aGpuTaskSubmittedBeforeTheSubscriptionIsDeclaredWhenItComes() {
    rig.start();
    rig.submit(gpuTask("train"));
    assertThat(rig.backend.frameworkUpdates()).isEmpty();

    rig.subscribed();

    assertThat(rig.backend.frameworkUpdates()).extracting(FrameworkInfo::capabilities)
        .containsExactly(Set.of("PARTITION_AWARE", "GPU_RESOURCES"));
  }

  @Test
  void anExecutorAskingForGpusDeclaresGpuResources() {
    rig.started();
    ExecutorSpec executor = ExecutorSpec.of("exec", CommandSpec.shell("java -jar x.jar"))
        .resources(ResourceSpec.parse("cpus:0.1;mem:32;gpus:1"));

    rig.submit(TaskSpec.builder().id("job").name("job").resources("cpus:1;mem:128")
        .executor(executor).build());

    assertThat(rig.backend.frameworkUpdates()).hasSize(1);
  }

  @Test
  void tasksWithoutGpusDeclareNoGpuResources() {
    rig.started();
    rig.submit("cpu", "cpus:1;mem:128");

    assertThat(rig.backend.info().capabilities()).containsExactly("PARTITION_AWARE");
    assertThat(rig.backend.frameworkUpdates()).isEmpty();
  }

  @Test
  void aBackendThatCannotUpdateIsWarnedOfOnceAndTheTaskWaits() {
    rig.backend.rejectUpdateFramework();
    rig.started();
    try (CapturedLog log = new CapturedLog()) {
      rig.submit(gpuTask("train-1"));
      rig.submit(gpuTask("train-2"));

      assertThat(log.lines("WARN")).containsExactly("backend cannot add the capability"
          + " GPU_RESOURCES to framework test (FakeBackend cannot update a framework"
          + " (UPDATE_FRAMEWORK)): tasks asking for gpus may wait, as the master offers no GPU"
          + " agent without it; submit them before start() to declare it at SUBSCRIBE");
    }
    assertThat(rig.task("train-1").state()).isEqualTo(TaskState.PENDING);
    assertThat(rig.framework.isTerminated()).isFalse();
  }

  @Test
  void regionAwareDeclaresRegionAware() {
    rig.start(rig.builder().regionAware(true));

    assertThat(rig.backend.info().capabilities())
        .containsExactlyInAnyOrder("PARTITION_AWARE", "REGION_AWARE");
    assertThat(rig.backend.info().id()).isEqualTo(Optional.empty());
  }
}
