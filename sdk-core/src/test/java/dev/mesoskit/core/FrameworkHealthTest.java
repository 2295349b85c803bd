package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Health and readiness results in a task's life: snapshots carry them, listeners hear of their
 * changes apart from state changes, and a task its executor killed as unhealthy is retried.
 */
@Timeout(30)
class FrameworkHealthTest {
  private final TestRig rig = new TestRig();
  /** What {@link TaskListener#onHealthChanged} received, as text. */
  private final List<String> health = new ArrayList<>();

  private final TaskListener healthListener = new TaskListener() {
    @Override
    public void onUpdate(Task task) {}

    @Override
    public void onHealthChanged(Task task) {
      health.add(task.id() + " " + task.state() + " healthy=" + task.healthy().orElse(null)
          + " check=" + task.check().map(CheckResult::toString).orElse("none"));
    }
  };

  private static TaskSpec checked() {
    return TaskSpec.builder().id("web").name("web").resources("cpus:1;mem:128;ports:1")
        .command("serve").healthCheck(HealthCheck.of(Probe.http("/health")))
        .readinessCheck(ReadinessCheck.of(Probe.http("/ready")))
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).jitter(0).build()).build();
  }

  private void launchedAndRunning() {
    rig.start(rig.builder().listener(healthListener));
    rig.subscribed();
    rig.submit(checked());
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31000]");
    rig.update("web.1", TaskState.RUNNING);
  }

  private void push(TaskState state, String message, Boolean healthy, CheckResult check) {
    rig.backend.update("web.1", "a1", state, message, Optional.ofNullable(healthy),
        Optional.ofNullable(check));
    rig.loop.runPending();
  }

  @Test
  void healthAndCheckResultsUpdateTheSnapshot() {
    launchedAndRunning();
    assertThat(rig.task("web").healthy()).isEmpty();
    assertThat(rig.task("web").check()).isEmpty();

    push(TaskState.RUNNING, null, true, CheckResult.statusCode(200));

    Task web = rig.task("web");
    assertThat(web.state()).isEqualTo(TaskState.RUNNING);
    assertThat(web.healthy()).contains(true);
    assertThat(web.check()).contains(CheckResult.statusCode(200));
    assertThat(web.ready()).isTrue();

    push(TaskState.RUNNING, null, false, null);

    assertThat(rig.task("web").healthy()).contains(false);
    assertThat(rig.task("web").check()).contains(CheckResult.statusCode(200));
    assertThat(rig.task("web").ready()).isFalse();
  }

  @Test
  void aHealthChangeIsToldToOnHealthChangedNotToOnUpdate() {
    launchedAndRunning();
    int statesBefore = rig.statesSeen("web").size();

    push(TaskState.RUNNING, null, null, CheckResult.pending(Probe.Kind.HTTP));
    push(TaskState.RUNNING, null, true, CheckResult.statusCode(503));
    push(TaskState.RUNNING, null, true, CheckResult.statusCode(503)); // repeated: nothing new
    push(TaskState.RUNNING, null, true, CheckResult.statusCode(200));

    assertThat(rig.statesSeen("web")).hasSize(statesBefore);
    assertThat(health).containsExactly(
        "web RUNNING healthy=null check=HTTP status (none yet)",
        "web RUNNING healthy=true check=HTTP status 503",
        "web RUNNING healthy=true check=HTTP status 200");
    assertThat(rig.backend.acks()).hasSize(4 + 1); // every update acknowledged, RUNNING too
  }

  @Test
  void aStateChangeWithHealthCallsOnUpdateThenOnHealthChanged() {
    rig.start(rig.builder().listener(healthListener));
    rig.subscribed();
    rig.submit(checked());
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31000]");

    push(TaskState.RUNNING, null, true, null);

    assertThat(rig.seen("web").get(rig.seen("web").size() - 1).healthy()).contains(true);
    assertThat(rig.statesSeen("web")).containsExactly(TaskState.PENDING, TaskState.STAGING,
        TaskState.RUNNING);
    assertThat(health).containsExactly("web RUNNING healthy=true check=none");
  }

  @Test
  void aTaskKilledAsUnhealthyIsAFailedAttemptAndIsRetried() {
    launchedAndRunning();
    push(TaskState.RUNNING, null, false, null);

    push(TaskState.KILLED, "Task is unhealthy", false, null);

    Task web = rig.task("web");
    assertThat(web.done()).isFalse();
    assertThat(web.state()).isEqualTo(TaskState.PENDING);
    assertThat(web.attempt()).isEqualTo(2);
    assertThat(web.message()).contains("attempt 1 killed as unhealthy: Task is unhealthy;"
        + " attempt 2 of 3 after 1000 ms");
    assertThat(web.healthy()).isEmpty(); // the new attempt has no verdict yet
    assertThat(rig.seen("web")).anySatisfy(t -> {
      assertThat(t.state()).isEqualTo(TaskState.FAILED);
      assertThat(t.message()).contains("killed as unhealthy: Task is unhealthy");
    });

    rig.advance(Duration.ofSeconds(1));
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31000]");
    assertThat(rig.calls()).contains("accept [o2] [web.2]");
  }

  @Test
  void theLastUnhealthyKillFailsTheTaskWithTheMessage() {
    rig.start(rig.builder().listener(healthListener));
    rig.subscribed();
    rig.submit(checked().toBuilder().retryPolicy(RetryPolicy.none()).build());
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31000]");
    rig.update("web.1", TaskState.RUNNING);

    push(TaskState.KILLED, "Task is unhealthy", false, null);

    Task web = rig.task("web");
    assertThat(web.done()).isTrue();
    assertThat(web.state()).isEqualTo(TaskState.FAILED);
    assertThat(web.message())
        .contains("failed after 1 attempt: killed as unhealthy: Task is unhealthy");
  }

  @Test
  void aKillOnRequestEndsKilledEvenWhenTheUpdateSaysUnhealthy() {
    launchedAndRunning();

    rig.framework.kill(TaskId.of("web"));
    rig.loop.runPending();
    push(TaskState.KILLED, "Command terminated", false, null);

    assertThat(rig.task("web").done()).isTrue();
    assertThat(rig.task("web").state()).isEqualTo(TaskState.KILLED);
  }

  @Test
  void aKillNotAskedForWithoutHealthVerdictStaysTheOutcome() {
    launchedAndRunning();

    push(TaskState.KILLED, "killed by the operator", null, null);

    assertThat(rig.task("web").done()).isTrue();
    assertThat(rig.task("web").state()).isEqualTo(TaskState.KILLED);
  }
}
