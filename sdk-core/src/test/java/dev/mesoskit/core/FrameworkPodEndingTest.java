package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pod's attempt always ends whole: a task that ends through the master (or any ending Mesos'
 * default executor does not answer by killing the rest) gets the others killed, and a pod taken
 * over in part after a failover ends its attempt instead of staying half-adopted.
 */
@Timeout(30)
class FrameworkPodEndingTest {
  private final TestRig rig = new TestRig();

  private static final TaskSpec WEB = TaskSpec.builder().name("web")
      .resources("cpus:0.3;mem:128").command("serve").build();
  private static final TaskSpec SIDE = TaskSpec.builder().name("side")
      .resources("cpus:0.6;mem:64").command("tail -f log").build();
  /** web + side + the executor's 0.1 cpus and 32 MB: cpus 1, mem 224. */
  private static final PodSpec POD = PodSpec.builder("p").task(WEB).task(SIDE)
      .executorResources(ResourceSpec.parse("cpus:0.1;mem:32")).build();
  private static final String FITS = "cpus:1;mem:224";

  /** Starts, launches {@link #POD} on a2 and sees both tasks RUNNING; clears the calls. */
  private List<TaskId> runningPod() {
    rig.started();
    List<TaskId> ids = rig.framework.submit(POD);
    rig.loop.runPending();
    rig.offer("a2", FITS);
    rig.update("p.web.1", "a2", TaskState.RUNNING, null, null);
    rig.update("p.side.1", "a2", TaskState.RUNNING, null, null);
    rig.clearCalls();
    return ids;
  }

  private void masterUpdate(String mesosTaskId, TaskState state, String reason, String message) {
    rig.backend.masterUpdate(mesosTaskId, "a2", state, reason, message);
    rig.loop.runPending();
  }

  private Task outcome(TaskId id) {
    CompletableFuture<Task> f = rig.framework.outcome(id);
    assertThat(f).isDone();
    return f.join();
  }

  @Test
  void aTaskLostThroughTheMasterGetsTheRestKilledAndThePodRetriedWithAttempt2() {
    Duration delay = TestRig.backoffs(RetryPolicy.defaults(), 1).get(0);
    runningPod();

    masterUpdate("p.web.1", TaskState.LOST, "REASON_AGENT_REMOVED", "agent removed");

    assertThat(rig.backend.kills()).containsExactly("p.side.1");
    assertThat(rig.task("p.web").state()).isEqualTo(TaskState.LOST);
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.RUNNING);

    rig.update("p.side.1", "a2", TaskState.KILLED, null, "killed");

    String message = "attempt 1 of pod p ended: task p.web TASK_LOST (REASON_AGENT_REMOVED):"
        + " agent removed; attempt 2 of 3 after " + delay.toMillis() + " ms";
    for (String id : List.of("p.web", "p.side")) {
      Task t = rig.task(id);
      assertThat(t.state()).isEqualTo(TaskState.PENDING);
      assertThat(t.attempt()).isEqualTo(2);
      assertThat(t.done()).isFalse();
      assertThat(t.message()).contains(message);
    }
    rig.clearCalls();

    rig.advance(delay);
    rig.offer("a1", FITS);

    assertThat(rig.calls()).containsExactly(
        "revive", "accept [o2] [] groups [pod-p.2 [p.web.2, p.side.2]]", "suppress");
  }

  @Test
  void theKillOfTheRestIsResentUntilTheirAttemptEndsAndNotAfter() {
    runningPod();
    masterUpdate("p.web.1", TaskState.GONE, null, "agent gone");

    rig.advance(Duration.ofSeconds(1));

    assertThat(rig.backend.kills()).containsExactly("p.side.1", "p.side.1");

    rig.update("p.side.1", "a2", TaskState.KILLED, null, null);
    rig.advance(Duration.ofMinutes(5));

    assertThat(rig.backend.kills()).containsExactly("p.side.1", "p.side.1");
    assertThat(rig.task("p.side").attempt()).isEqualTo(2);
  }

  @Test
  void anyEndingFromAnotherSourceThanTheExecutorGetsTheRestKilled() {
    runningPod();

    masterUpdate("p.side.1", TaskState.FAILED, "REASON_CONTAINER_LAUNCH_FAILED", "no image");

    assertThat(rig.backend.kills()).containsExactly("p.web.1");
  }

  @Test
  void aTaskInErrorGetsTheRestKilledAndEndsEveryTaskInError() {
    List<TaskId> ids = runningPod();

    rig.update("p.web.1", "a2", TaskState.ERROR, null, "bad spec");

    assertThat(rig.backend.kills()).containsExactly("p.side.1");
    assertThat(rig.framework.outcome(ids.get(1))).isNotDone();

    rig.update("p.side.1", "a2", TaskState.KILLED, null, null);

    for (TaskId id : ids) {
      Task t = outcome(id);
      assertThat(t.state()).isEqualTo(TaskState.ERROR);
      assertThat(t.attempt()).isEqualTo(1);
      assertThat(t.message())
          .contains("pod p failed after 1 attempt: task p.web TASK_ERROR: bad spec");
    }
  }

  @Test
  void leavesTheRestToTheDefaultExecutorWhenATaskFailsOrIsKilledThere() {
    runningPod();

    rig.update("p.web.1", "a2", TaskState.FAILED, null, "boom");

    assertThat(rig.backend.kills()).isEmpty();
  }

  @Test
  void aTaskThatFinishedLeavesTheRestRunning() {
    runningPod();

    masterUpdate("p.side.1", TaskState.FINISHED, null, null);

    assertThat(rig.backend.kills()).isEmpty();
    assertThat(rig.task("p.web").state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void aPodFoundRunningInPartAfterAFailoverKillsTheRestAndIsRetried() {
    Duration delay = TestRig.backoffs(RetryPolicy.defaults(), 1).get(0);
    rig.store.save("fw-1");
    rig.started();
    rig.framework.submit(POD);
    rig.loop.runPending();

    rig.answer("p.web.1", TaskState.RUNNING); // adopted
    assertThat(rig.backend.kills()).isEmpty(); // side has not answered yet
    rig.answer("p.side.1", TaskState.UNKNOWN); // never launched, or long gone

    assertThat(rig.backend.kills()).containsExactly("p.web.1");
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.UNKNOWN);

    rig.update("p.web.1", "a1", TaskState.KILLED, null, null);

    for (String id : List.of("p.web", "p.side")) {
      Task t = rig.task(id);
      assertThat(t.state()).isEqualTo(TaskState.PENDING);
      assertThat(t.attempt()).isEqualTo(2);
      assertThat(t.message()).contains("attempt 1 of pod p ended: task p.side TASK_UNKNOWN: not"
          + " running when this scheduler run took over its pod (TASK_UNKNOWN); attempt 2 of 3"
          + " after " + delay.toMillis() + " ms");
    }
  }

  @Test
  void aPodWhoseTasksAnswerNotRunningFirstAndRunningLaterEndsItsAttemptToo() {
    rig.store.save("fw-1");
    rig.started();
    rig.framework.submit(POD);
    rig.loop.runPending();

    rig.answer("p.side.1", TaskState.LOST);
    rig.offer("a1", "cpus:4;mem:1024");
    assertThat(rig.backend.groupLaunches()).as("not launched while web may run").isEmpty();

    rig.answer("p.web.1", TaskState.RUNNING);

    assertThat(rig.backend.kills()).containsExactly("p.web.1");
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.LOST);
  }

  @Test
  void aPodOfWhichNoTaskRunsAfterAFailoverIsLaunchedWholeUnderOneNewAttempt() {
    rig.store.save("fw-1");
    rig.started();
    rig.framework.submit(POD);
    rig.loop.runPending();

    rig.answer("p.web.1", TaskState.LOST); // unknown to the master: id free
    rig.answer("p.side.1", TaskState.FAILED); // still known: its id would be a duplicate
    rig.clearCalls();
    rig.offer("a1", FITS);

    assertThat(rig.calls()).contains("accept [o1] [] groups [pod-p.2 [p.web.2, p.side.2]]");
  }
}
