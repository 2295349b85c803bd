package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.testing.FakeBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Pods: placed whole on one agent, launched as one task group, retried and ended as one. */
class FrameworkPodTest {
  private final TestRig rig = new TestRig();

  private static final TaskSpec WEB = TaskSpec.builder().name("web")
      .resources("cpus:0.3;mem:128;ports:1").command("serve $PORT0").build();
  private static final TaskSpec SIDE = TaskSpec.builder().name("side")
      .resources("cpus:0.6;mem:64").command("tail -f shared/log").build();
  /** web + side + the executor's 0.1 cpus, 32 MB and 10 MB disk: cpus 1, mem 224, disk 10. */
  private static final PodSpec POD = PodSpec.builder("p").task(WEB).task(SIDE)
      .sharedVolume("shared").executorResources(ResourceSpec.parse("cpus:0.1;mem:32;disk:10"))
      .build();

  /** Starts, submits {@link #POD} and launches it on a2, whose offer holds it exactly. */
  private List<TaskId> launchPod() {
    rig.started();
    List<TaskId> ids = rig.framework.submit(POD);
    rig.loop.runPending();
    rig.offer("a2", "cpus:1;mem:224;disk:10;ports:[31000-31009]");
    return ids;
  }

  /** The outcome of a task, which must have one already (a join would hang the test). */
  private Task outcome(TaskId id) {
    CompletableFuture<Task> f = rig.framework.outcome(id);
    assertThat(f).isDone();
    return f.join();
  }

  @Test
  void derivesTaskIdsFromThePodAndTaskNames() {
    rig.started();

    List<TaskId> ids = rig.framework.submit(POD);

    assertThat(ids).containsExactly(TaskId.of("p.web"), TaskId.of("p.side"));
    assertThat(rig.framework.tasks()).extracting(Task::id)
        .containsExactly(ids.toArray(TaskId[]::new));
    assertThat(rig.framework.tasks()).extracting(Task::state)
        .containsExactly(TaskState.PENDING, TaskState.PENDING);
    // A second pod of the same name gets a name of its own, and so an executor id of its own.
    assertThat(rig.framework.submit(POD))
        .containsExactly(TaskId.of("p-1.web"), TaskId.of("p-1.side"));
  }

  @Test
  void keepsATasksOwnIdAndRefusesOneSubmittedBefore() {
    rig.started();
    rig.submit("taken", "cpus:1;mem:32");
    PodSpec own = PodSpec.builder("q").task(WEB.toBuilder().id("front").build()).task(SIDE).build();
    PodSpec clash = PodSpec.builder("r").task(SIDE).task(WEB.toBuilder().id("taken").build())
        .build();

    assertThat(rig.framework.submit(own))
        .containsExactly(TaskId.of("front"), TaskId.of("q.side"));
    assertThatThrownBy(() -> rig.framework.submit(clash))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must be unique but 'taken' was already submitted (task web of pod r)");
    // Nothing of the refused pod was kept: its other task's id is free again.
    assertThat(rig.framework.submit(PodSpec.builder("r").task(SIDE).build()))
        .containsExactly(TaskId.of("r.side"));
  }

  @Test
  void placesThePodOnTheOneAgentThatFitsTheSumNotAcrossAgents() {
    rig.started();
    rig.framework.submit(POD);
    rig.loop.runPending();
    rig.clearCalls();

    // a1 holds each task alone, but not both with the executor; a2 holds exactly the sum.
    rig.offers(rig.backend.newOffer("a1", "cpus:0.9;mem:512;disk:100;ports:[31000-31009]"),
        rig.backend.newOffer("a2", "cpus:1;mem:224;disk:10;ports:[31000-31009]"));

    assertThat(rig.calls()).containsExactly(
        "accept [o2] [] groups [pod-p.1 [p.web.1, p.side.1]]", "decline [o1]", "suppress");
    assertThat(rig.backend.launches()).isEmpty();
  }

  @Test
  void launchesTheExactTaskGroup() {
    launchPod();

    assertThat(rig.backend.groupLaunches()).containsExactly(new TaskGroupLaunch(
        "pod-p.1", "p", Resources.parse("cpus:0.1;mem:32;disk:10"), List.of("shared"), List.of(
            new TaskLaunch("p.web.1", "a2", WEB,
                Resources.parse("cpus:0.3;mem:128;ports:[31000-31000]"), Resources.empty()),
            new TaskLaunch("p.side.1", "a2", SIDE, Resources.parse("cpus:0.6;mem:64"),
                Resources.empty()))));
  }

  @Test
  void showsEveryTaskOfThePodAsATaskOfItsOwn() {
    launchPod();

    Task web = rig.task("p.web");
    assertThat(web.name()).isEqualTo("web");
    assertThat(web.state()).isEqualTo(TaskState.STAGING);
    assertThat(web.attempt()).isEqualTo(1);
    assertThat(web.agentId()).contains("a2");
    assertThat(web.hostname()).contains("a2.host");
    assertThat(web.ports()).containsExactly(31000L);
    Task side = rig.task("p.side");
    assertThat(side.state()).isEqualTo(TaskState.STAGING);
    assertThat(side.agentId()).contains("a2");
    assertThat(side.ports()).isEmpty();

    rig.update("p.web.1", "a2", TaskState.RUNNING, null, null);

    assertThat(rig.task("p.web").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.STAGING);
    assertThat(rig.statesSeen("p.web"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.RUNNING);
  }

  @Test
  void endsEveryTaskFinishedWhenAllFinished() {
    List<TaskId> ids = launchPod();
    rig.update("p.web.1", "a2", TaskState.RUNNING, null, null);
    rig.update("p.side.1", "a2", TaskState.RUNNING, null, null);

    rig.update("p.side.1", "a2", TaskState.FINISHED, null, "side done");

    // One task finished: it shows so, but its outcome waits for the pod's.
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.FINISHED);
    assertThat(rig.task("p.side").done()).isFalse();
    assertThat(rig.framework.outcome(ids.get(1))).isNotDone();

    rig.update("p.web.1", "a2", TaskState.FINISHED, null, "web done");

    Task web = outcome(ids.get(0));
    Task side = outcome(ids.get(1));
    assertThat(web.state()).isEqualTo(TaskState.FINISHED);
    assertThat(web.done()).isTrue();
    assertThat(web.message()).contains("web done");
    assertThat(side.state()).isEqualTo(TaskState.FINISHED);
    assertThat(side.done()).isTrue();
    assertThat(side.message()).contains("side done");
    assertThat(rig.statesSeen("p.side")).containsExactly(TaskState.PENDING, TaskState.STAGING,
        TaskState.RUNNING, TaskState.FINISHED, TaskState.FINISHED);
  }

  @Test
  void retriesTheWholePodWithAttempt2WhenOneTaskFails() {
    Duration delay = TestRig.backoffs(RetryPolicy.defaults(), 1).get(0);
    launchPod();
    rig.update("p.web.1", "a2", TaskState.RUNNING, null, null);
    rig.update("p.side.1", "a2", TaskState.RUNNING, null, null);

    rig.update("p.web.1", "a2", TaskState.FAILED, null, "boom");

    // The other task runs until the default executor kills it.
    assertThat(rig.task("p.web").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.task("p.web").done()).isFalse();
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.RUNNING);

    rig.update("p.side.1", "a2", TaskState.KILLED, "REASON_TASK_GROUP_KILLED", "killed");

    String message = "attempt 1 of pod p ended: task p.web TASK_FAILED: boom; attempt 2 of 3"
        + " after " + delay.toMillis() + " ms";
    for (String id : List.of("p.web", "p.side")) {
      Task t = rig.task(id);
      assertThat(t.state()).isEqualTo(TaskState.PENDING);
      assertThat(t.attempt()).isEqualTo(2);
      assertThat(t.done()).isFalse();
      assertThat(t.agentId()).isEmpty();
      assertThat(t.message()).contains(message);
    }
    assertThat(rig.statesSeen("p.side")).containsExactly(TaskState.PENDING, TaskState.STAGING,
        TaskState.RUNNING, TaskState.KILLED, TaskState.PENDING);
    rig.clearCalls();

    rig.advance(delay);
    rig.offer("a1", "cpus:1;mem:224;disk:10;ports:[32000-32000]");

    assertThat(rig.calls()).containsExactly(
        "revive", "accept [o2] [] groups [pod-p.2 [p.web.2, p.side.2]]", "suppress");
    assertThat(rig.task("p.web").ports()).containsExactly(32000L);
    assertThat(rig.task("p.web").state()).isEqualTo(TaskState.STAGING);
    assertThat(rig.task("p.side").attempt()).isEqualTo(2);
  }

  @Test
  void failsEveryTaskWhenThePodsLastAttemptFails() {
    rig.start(rig.builder().retryPolicy(RetryPolicy.builder().maxAttempts(1).build()));
    rig.subscribed();
    List<TaskId> ids = rig.framework.submit(POD);
    rig.loop.runPending();
    rig.offer("a2", "cpus:1;mem:224;disk:10;ports:[31000-31009]");

    rig.update("p.side.1", "a2", TaskState.FAILED, null, "oops");
    rig.update("p.web.1", "a2", TaskState.KILLED, null, null);

    String message = "pod p failed after 1 attempt: task p.side TASK_FAILED: oops";
    for (TaskId id : ids) {
      Task t = outcome(id);
      assertThat(t.state()).isEqualTo(TaskState.FAILED);
      assertThat(t.message()).contains(message);
    }
  }

  @Test
  void killingOneTaskOfAPodKillsThatTaskAndEndsThePodKilled() {
    List<TaskId> ids = launchPod();
    rig.update("p.web.1", "a2", TaskState.RUNNING, null, null);
    rig.update("p.side.1", "a2", TaskState.RUNNING, null, null);

    rig.framework.kill(ids.get(1));
    rig.loop.runPending();

    assertThat(rig.backend.kills()).containsExactly("p.side.1");

    rig.update("p.side.1", "a2", TaskState.KILLED, null, "killed on request");
    rig.update("p.web.1", "a2", TaskState.KILLED, "REASON_TASK_GROUP_KILLED", null);

    assertThat(outcome(ids.get(1)).state()).isEqualTo(TaskState.KILLED);
    Task web = outcome(ids.get(0));
    assertThat(web.state()).isEqualTo(TaskState.KILLED);
    assertThat(web.message()).contains("killed with its pod p: task p.side was killed on request");
  }

  @Test
  void killingATaskOfAPendingPodKillsEveryTaskOfIt() {
    rig.started();
    List<TaskId> ids = rig.framework.submit(POD);
    rig.loop.runPending();

    rig.framework.kill(ids.get(0));
    rig.loop.runPending();

    assertThat(rig.task("p.web").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("p.web").message()).contains("killed on request before launch");
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("p.side").message())
        .contains("killed on request before launch with task p.web of its pod");
  }

  @Test
  void failsEveryTaskOfThePodWhenTheBackendCannotLaunchPods() {
    rig.start(rig.builder().backend(new NoPodsBackend(rig.backend)));
    rig.subscribed();
    List<TaskId> ids = rig.framework.submit(POD);
    rig.submit("single", "cpus:1;mem:64");
    rig.clearCalls();

    rig.offer("a1", "cpus:4;mem:1024;disk:100;ports:[31000-31009]");

    for (TaskId id : ids) {
      Task t = outcome(id);
      assertThat(t.state()).isEqualTo(TaskState.FAILED);
      assertThat(t.done()).isTrue();
      assertThat(t.agentId()).isEmpty();
      assertThat(t.message())
          .contains("not launched: NoPodsBackend cannot launch pods (LAUNCH_GROUP)");
    }
    // The single task of the same offer still launched.
    assertThat(rig.calls()).containsExactly("accept [o1] [single.1]", "suppress");
    assertThat(rig.task("single").state()).isEqualTo(TaskState.STAGING);
  }

  @Test
  void saysWhyWhenThePodFitsNoAgent() {
    rig.started();
    rig.framework.submit(POD);
    rig.loop.runPending();

    rig.offers(rig.backend.newOffer("a1", "cpus:0.9;mem:4096;disk:100;ports:[31000-31009]"),
        rig.backend.newOffer("a2", "cpus:0.5;mem:4096;disk:100;ports:[31000-31009]"));

    for (String id : List.of("p.web", "p.side")) {
      assertThat(rig.task(id).state()).isEqualTo(TaskState.PENDING);
      assertThat(rig.task(id).message()).contains("needs cpus 1, the largest offer has 0.9");
    }
    assertThat(rig.backend.groupLaunches()).isEmpty();
  }

  @Test
  void endsEveryTaskOfAPodNotPlacedInTime() {
    rig.start(rig.builder().placementTimeout(Duration.ofMinutes(1)));
    rig.subscribed();
    List<TaskId> ids = rig.framework.submit(POD);
    rig.loop.runPending();
    rig.offer("a1", "cpus:0.9;mem:4096;disk:100;ports:[31000-31009]");

    rig.advance(Duration.ofMinutes(1));

    for (TaskId id : ids) {
      Task t = outcome(id);
      assertThat(t.state()).isEqualTo(TaskState.FAILED);
      assertThat(t.message())
          .contains("not placed within PT1M: needs cpus 1, the largest offer has 0.9");
    }
  }

  @Test
  void killAllKillsEveryLaunchedTaskOfAPod() {
    launchPod();

    rig.framework.killAll();
    rig.loop.runPending();

    assertThat(rig.backend.kills()).containsExactly("p.web.1", "p.side.1");
  }

  /** A backend of before pods: the SPI's default refuses every task group. */
  private static final class NoPodsBackend implements SchedulerBackend {
    private final FakeBackend delegate;

    NoPodsBackend(FakeBackend delegate) {
      this.delegate = delegate;
    }

    @Override
    public void subscribe(FrameworkInfo info, SchedulerEvents events) {
      delegate.subscribe(info, events);
    }

    @Override
    public void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {
      delegate.accept(offerIds, launches, refuse);
    }

    @Override
    public void decline(List<String> offerIds, Duration refuse) {
      delegate.decline(offerIds, refuse);
    }

    @Override
    public void revive() {
      delegate.revive();
    }

    @Override
    public void suppress() {
      delegate.suppress();
    }

    @Override
    public void kill(String mesosTaskId, String agentId) {
      delegate.kill(mesosTaskId, agentId);
    }

    @Override
    public void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
      delegate.acknowledge(agentId, mesosTaskId, uuid);
    }

    @Override
    public void reconcile(List<ReconcileTask> tasks) {
      delegate.reconcile(tasks);
    }

    @Override
    public void message(String agentId, String executorId, byte[] data) {
      delegate.message(agentId, executorId, data);
    }

    @Override
    public void teardown() {
      delegate.teardown();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
