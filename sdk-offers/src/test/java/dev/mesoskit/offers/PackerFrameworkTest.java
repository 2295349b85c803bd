package dev.mesoskit.offers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link Packer} inside a real {@link Framework}, driven by a fake master. */
class PackerFrameworkTest {
  private final ManualScheduler loop = new ManualScheduler();
  private final FakeBackend backend = new FakeBackend();
  private Framework framework;

  private void start(Packer packer) {
    framework = Framework.builder().name("test").backend(backend).executor(loop)
        .clock(loop.clock()).frameworkIdStore(FrameworkIdStore.inMemory())
        .packing(packer).listener(packer).build();
    framework.start();
    loop.runPending();
    backend.subscribed("fw-1");
    loop.runPending();
  }

  @AfterEach
  void close() {
    if (framework != null) {
      framework.close();
    }
  }

  private TaskId submit(String id, String app) {
    TaskId task = framework.submit(TaskSpec.builder().id(id).name(id).resources("cpus:1;mem:128")
        .command("sleep 1").label("app", app).build());
    loop.runPending();
    return task;
  }

  private void offers(String... agents) {
    List<Offer> offers = java.util.Arrays.stream(agents).map(a -> new Offer("o-" + a + "-"
        + backend.calls().size(), a, a + ".host", Resources.parse("cpus:4;mem:4096"), Map.of(),
        Set.of())).toList();
    backend.events().offers(offers);
    loop.runPending();
  }

  @Test
  void aTaskThatCannotBePlacedShowsTheConstraintsReasonOnItsSnapshot() {
    start(PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost()));
    submit("w1", "web");
    submit("w2", "web");

    offers("a1");

    assertThat(backend.launches()).extracting(TaskLaunch::mesosTaskId).containsExactly("w1.1");
    Task w2 = framework.task(TaskId.of("w2")).orElseThrow();
    assertThat(w2.state()).isEqualTo(TaskState.PENDING);
    assertThat(w2.message())
        .contains("constraint unique hostname: the only agent already runs one");
  }

  @Test
  void anEndedTaskFreesItsHostForTheNextOfItsGroup() {
    start(PackingStrategies.spread()
        .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost()));
    submit("w1", "web");
    offers("a1");
    submit("w2", "web");
    offers("a1");
    assertThat(backend.launches()).extracting(TaskLaunch::mesosTaskId).containsExactly("w1.1");

    backend.update("w1.1", "a1", TaskState.FINISHED, null, null);
    loop.runPending();
    offers("a1");

    assertThat(backend.launches()).extracting(TaskLaunch::mesosTaskId)
        .containsExactly("w1.1", "w2.1");
    assertThat(framework.task(TaskId.of("w2")).orElseThrow().agentId()).contains("a1");
  }

  @Test
  void executorResourcesReachTheLaunchOncePerAgent() {
    start(PackingStrategies.dotProduct());
    var exec = dev.mesoskit.core.ExecutorSpec.of("exec", dev.mesoskit.core.CommandSpec.shell("x"));
    for (String id : List.of("t1", "t2")) {
      framework.submit(TaskSpec.builder().id(id).name(id).resources("cpus:1;mem:128")
          .executor(exec).build());
    }
    loop.runPending();

    offers("a1");

    assertThat(backend.launches()).extracting(TaskLaunch::executorResources).containsExactly(
        Resources.parse("cpus:0.1;mem:32"), Resources.parse("cpus:0.1;mem:32"));
    assertThat(backend.launches()).extracting(TaskLaunch::resources).containsOnly(
        Resources.parse("cpus:1;mem:128"));
  }
}
