package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.testing.FakeBackend.Ack;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status updates: acknowledgements, state changes, duplicates and stale updates. */
class FrameworkUpdatesTest {
  private final TestRig rig = new TestRig();

  /** t1 launched as t1.1 on agent a1; the calls recorded so far are cleared. */
  @BeforeEach
  void launchT1() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    rig.clearCalls();
  }

  @Test
  void acknowledgesAnUpdateThatCarriesAUuidWithItsAgentTaskAndUuid() {
    String uuid = rig.update("t1.1", "a1", TaskState.RUNNING, "REASON_X", "started");

    assertThat(uuid).isEqualTo("u1");
    assertThat(rig.backend.acks()).containsExactly(new Ack("a1", "t1.1", "u1"));
    assertThat(rig.calls()).containsExactly("ack t1.1");
    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.RUNNING);
    assertThat(t1.message()).contains("started");
    assertThat(t1.reason()).contains("REASON_X");
    assertThat(rig.statesSeen("t1"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.RUNNING);
  }

  @Test
  void acknowledgesWithTheAgentOfTheUpdate() {
    rig.update("t1.1", "a9", TaskState.RUNNING, null, null);

    assertThat(rig.backend.acks()).containsExactly(new Ack("a9", "t1.1", "u1"));
  }

  @Test
  void doesNotAcknowledgeAReconciliationAnswerWithoutUuid() {
    rig.answer("t1.1", TaskState.RUNNING);

    assertThat(rig.calls()).isEmpty();
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.statesSeen("t1"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.RUNNING);
  }

  @Test
  void followsTheLiveStatesOfAnAttempt() {
    rig.update("t1.1", TaskState.STARTING);
    rig.update("t1.1", TaskState.RUNNING);
    rig.update("t1.1", TaskState.FINISHED);

    assertThat(rig.statesSeen("t1")).containsExactly(TaskState.PENDING, TaskState.STAGING,
        TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
    assertThat(rig.calls()).containsExactly("ack t1.1", "ack t1.1", "ack t1.1");
  }

  @Test
  void endsFinishedWithTheOutcomeCompleted() {
    CompletableFuture<Task> outcome = rig.framework.outcome(TaskId.of("t1"));
    rig.update("t1.1", TaskState.RUNNING);

    rig.update("t1.1", "a1", TaskState.FINISHED, "REASON_COMMAND_EXECUTOR_FAILED", "done");

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.FINISHED);
    assertThat(t1.done()).isTrue();
    assertThat(t1.attempt()).isEqualTo(1);
    assertThat(t1.message()).contains("done");
    assertThat(outcome).isCompletedWithValue(t1);
    assertThat(rig.calls()).containsExactly("ack t1.1", "ack t1.1");
  }

  @Test
  void ignoresADuplicateUpdateButStillAcknowledgesIt() {
    rig.update("t1.1", "a1", TaskState.RUNNING, null, "up");

    rig.update("t1.1", "a1", TaskState.RUNNING, null, "up");

    assertThat(rig.backend.acks()).containsExactly(
        new Ack("a1", "t1.1", "u1"), new Ack("a1", "t1.1", "u2"));
    assertThat(rig.statesSeen("t1"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.RUNNING);
  }

  @Test
  void ignoresAReconciliationAnswerThatRepeatsTheCurrentState() {
    rig.update("t1.1", "a1", TaskState.RUNNING, null, "up");

    rig.answer("t1.1", TaskState.RUNNING);

    assertThat(rig.task("t1").message()).contains("up");
    assertThat(rig.statesSeen("t1"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.RUNNING);
    assertThat(rig.calls()).containsExactly("ack t1.1");
  }

  @Test
  void ignoresStartingAfterRunning() {
    rig.update("t1.1", TaskState.RUNNING);

    rig.update("t1.1", TaskState.STARTING);
    rig.update("t1.1", TaskState.STAGING);

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.statesSeen("t1"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.RUNNING);
    assertThat(rig.calls()).containsExactly("ack t1.1", "ack t1.1", "ack t1.1");
  }

  @Test
  void ignoresRunningAfterFinished() {
    rig.update("t1.1", TaskState.FINISHED);
    Task outcome = rig.task("t1");

    rig.update("t1.1", TaskState.RUNNING);
    rig.answer("t1.1", TaskState.RUNNING);

    assertThat(rig.task("t1")).isEqualTo(outcome);
    assertThat(rig.statesSeen("t1"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.FINISHED);
    assertThat(rig.calls()).containsExactly("ack t1.1", "ack t1.1");
  }

  @Test
  void ignoresADuplicateTerminalUpdate() {
    rig.update("t1.1", TaskState.FINISHED);

    rig.update("t1.1", TaskState.FINISHED);
    rig.update("t1.1", "a1", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED", "late");

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FINISHED);
    assertThat(rig.task("t1").attempt()).isEqualTo(1);
    assertThat(rig.statesSeen("t1"))
        .containsExactly(TaskState.PENDING, TaskState.STAGING, TaskState.FINISHED);
    assertThat(rig.calls()).containsExactly("ack t1.1", "ack t1.1", "ack t1.1");
  }

  @Test
  void acknowledgesButIgnoresUpdatesOfUnknownTasks() {
    rig.update("other.1", TaskState.RUNNING);
    rig.update("no-attempt", TaskState.RUNNING);

    assertThat(rig.calls()).containsExactly("ack other.1", "ack no-attempt");
    assertThat(rig.statesSeen("t1")).containsExactly(TaskState.PENDING, TaskState.STAGING);
  }

  @Test
  void ignoresAnUpdateOfAnAttemptThatWasNotLaunchedYet() {
    rig.update("t1.2", TaskState.RUNNING);

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.STAGING);
    assertThat(rig.calls()).containsExactly("ack t1.2");
  }
}
