package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.testing.FakeBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Caller mistakes fail fast at {@code build()} and {@code submit()} with messages naming field,
 * rule and value. The behaviour of a running framework is tested by the other
 * {@code Framework*Test} classes (offers, updates, retries, reconciliation, lifecycle).
 */
class FrameworkTest {
  private final TestRig rig = new TestRig();

  @Test
  void refusesABuilderWithoutName() {
    assertThatThrownBy(() -> Framework.builder().backend(new FakeBackend()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be set and not blank but was null");
  }

  @Test
  void refusesABuilderWithABlankName() {
    assertThatThrownBy(() -> Framework.builder().name(" ").backend(new FakeBackend()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be set and not blank but was  ");
  }

  @Test
  void refusesABuilderWithoutBackend() {
    assertThatThrownBy(() -> Framework.builder().name("test").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backend must be set but was null");
  }

  @Test
  void refusesANegativeRefuseDuration() {
    assertThatThrownBy(() -> rig.builder().refuse(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refuse must be >= 0 but was PT-1S");
  }

  @Test
  void refusesAReconcileBackoffWhoseMaxIsBelowItsInitial() {
    assertThatThrownBy(() -> rig.builder()
        .reconcileBackoff(Duration.ofSeconds(10), Duration.ofSeconds(5)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reconcileBackoff max must be >= initial (PT10S) but was PT5S");
  }

  @Test
  void refusesAZeroImplicitReconcileInterval() {
    assertThatThrownBy(() -> rig.builder().implicitReconcileInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("implicitReconcileInterval must be > 0 but was PT0S");
  }

  @Test
  void refusesAZeroPlacementTimeout() {
    assertThatThrownBy(() -> rig.builder().placementTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("placementTimeout must be > 0 but was PT0S");
  }

  @Test
  void refusesADuplicateTaskId() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");

    assertThatThrownBy(() -> rig.framework.submit(TestRig.spec("t1", "cpus:2;mem:256")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must be unique but 't1' was already submitted");
    rig.loop.runPending();
    assertThat(rig.framework.tasks()).hasSize(1);
    assertThat(rig.seen).hasSize(1);
  }

  @Test
  void refusesADuplicateTaskIdEvenAfterTheFirstTaskEnded() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();

    assertThatThrownBy(() -> rig.framework.submit(TestRig.spec("t1", "cpus:1;mem:128")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must be unique but 't1' was already submitted");
  }

  @Test
  void refusesResourcesOfAnotherRole() {
    rig.start(rig.builder().role("prod"));
    TaskSpec spec = TaskSpec.builder().id("web").name("web")
        .resources("cpus(dev):1;mem(dev):128").command("serve").build();

    assertThatThrownBy(() -> rig.framework.submit(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resources role must be the framework's role 'prod' but was 'dev' for task web");
    assertThat(rig.framework.task(TaskId.of("web"))).isEmpty();
  }

  @Test
  void refusesReservedResourcesWhenSubscribedWithTheDefaultRole() {
    rig.start();
    TaskSpec spec = TaskSpec.builder().id("web").name("web")
        .resources("cpus(prod):1;mem(prod):128").command("serve").build();

    assertThatThrownBy(() -> rig.framework.submit(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resources role must be the framework's role '*' but was 'prod' for task web");
  }

  @Test
  void refusesExecutorResourcesOfAnotherRole() {
    rig.start(rig.builder().role("prod"));
    ExecutorSpec executor = ExecutorSpec.of("exec", CommandSpec.shell("java -jar x.jar"))
        .resources(ResourceSpec.parse("cpus(dev):0.1;mem(dev):32"));
    TaskSpec spec = TaskSpec.builder().id("job").name("job")
        .resources("cpus(prod):1;mem(prod):128").executor(executor).build();

    assertThatThrownBy(() -> rig.framework.submit(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("executor resources role must be the framework's role 'prod' but was 'dev'"
            + " for task job");
  }

  @Test
  void acceptsResourcesOfTheFrameworksRole() {
    rig.start(rig.builder().role("prod"));
    rig.subscribed();

    TaskId id = rig.submit(TaskSpec.builder().id("web").name("web")
        .resources("cpus(prod):1;mem(prod):128").command("serve").build());

    assertThat(rig.task("web").state()).isEqualTo(TaskState.PENDING);
    assertThat(id).isEqualTo(TaskId.of("web"));
  }

  @Test
  void derivesDistinctIdsFromTheName() {
    rig.start();

    TaskId first = rig.framework.submit(TaskSpec.builder().name("resize image")
        .resources("cpus:1;mem:128").command("true").build());
    TaskId second = rig.framework.submit(TaskSpec.builder().name("resize image")
        .resources("cpus:1;mem:128").command("true").build());

    assertThat(first).isEqualTo(TaskId.of("resize image-1"));
    assertThat(second).isEqualTo(TaskId.of("resize image-2"));
  }

  @Test
  void listsTasksInSubmissionOrder() {
    rig.started();
    rig.submit("t2", "cpus:1;mem:128");
    rig.submit("t10", "cpus:1;mem:128");
    rig.submit("a", "cpus:1;mem:128");

    assertThat(rig.framework.tasks()).extracting(t -> t.id().value())
        .containsExactly("t2", "t10", "a");
  }

  @Test
  void refusesToKillAnUnknownTask() {
    rig.start();

    assertThatThrownBy(() -> rig.framework.kill(TaskId.of("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must name a submitted task but was 'nope'");
  }

  /** First fit that also listens, as strategies with counting constraints do. */
  private static final class ListeningFirstFit
      implements dev.mesoskit.core.spi.PackingStrategy, TaskListener {
    final java.util.List<TaskState> heard = new java.util.ArrayList<>();

    @Override
    public dev.mesoskit.core.spi.Packing pack(
        java.util.List<dev.mesoskit.core.spi.PendingTask> tasks, java.util.List<Offer> offers) {
      return dev.mesoskit.core.spi.PackingStrategy.firstFit().pack(tasks, offers);
    }

    @Override
    public void onUpdate(Task task) {
      heard.add(task.state());
    }
  }

  @Test
  void aPackingStrategyThatListensHearsEveryTaskChangeWithoutBeingAddedAsAListener() {
    ListeningFirstFit packing = new ListeningFirstFit();
    TestRig rig = new TestRig();
    rig.start(rig.builder().packing(packing));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    assertThat(packing.heard).containsExactly(TaskState.PENDING, TaskState.STAGING);
  }

  @Test
  void aListeningPackingStrategyAlsoAddedAsAListenerIsCalledOncePerChange() {
    ListeningFirstFit packing = new ListeningFirstFit();
    TestRig rig = new TestRig();
    rig.start(rig.builder().packing(packing).listener(packing));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    assertThat(packing.heard).containsExactly(TaskState.PENDING);
  }
}
