package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.testing.FakeBackend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bounding a task and the framework: a task's timeout kills its attempt, {@code finish(Duration)}
 * waits a bounded time for the teardown, {@code killAll()} ends every remaining task.
 */
class FrameworkTimeoutTest {
  private static final Duration NANO = Duration.ofNanos(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final TestRig rig = new TestRig();

  /** Starts with {@code policy}, launches t1 with a 10 s timeout and clears the calls. */
  private void launchT1(RetryPolicy policy) {
    rig.start(rig.builder().retryPolicy(policy));
    rig.subscribed();
    rig.submit(TestRig.spec("t1", "cpus:1;mem:128").toBuilder().timeout(TIMEOUT).build());
    rig.offer("a1", "cpus:1;mem:128");
    rig.clearCalls();
  }

  @Test
  void killsAnAttemptRunningPastItsTimeoutAndRetriesItAsAFailedAttempt() {
    launchT1(RetryPolicy.builder().jitter(0).build());
    rig.update("t1.1", TaskState.RUNNING);

    rig.advance(TIMEOUT.minus(NANO));
    assertThat(rig.calls()).containsExactly("ack t1.1");
    rig.advance(NANO);
    assertThat(rig.calls()).containsExactly("ack t1.1", "kill t1.1");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.task("t1").message()).contains("timed out after PT10S, killing the attempt");

    rig.update("t1.1", "a1", TaskState.KILLED, null, "Command terminated with signal Killed");

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.PENDING);
    assertThat(t1.attempt()).isEqualTo(2);
    assertThat(t1.done()).isFalse();
    assertThat(t1.message())
        .contains("attempt 1 timed out after PT10S; attempt 2 of 3 after 1000 ms");
    assertThat(rig.statesSeen("t1")).containsExactly(TaskState.PENDING, TaskState.STAGING,
        TaskState.RUNNING, TaskState.RUNNING, TaskState.FAILED, TaskState.PENDING);
    assertThat(rig.seen("t1").get(4).message()).contains("timed out after PT10S");
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.calls()).containsExactly(
        "ack t1.1", "kill t1.1", "ack t1.1", "revive", "accept [o2] [t1.2]", "suppress");
  }

  @Test
  void failsTheTaskWhenItsLastAttemptTimedOut() {
    launchT1(RetryPolicy.none());
    CompletableFuture<Task> outcome = rig.framework.outcome(TaskId.of("t1"));
    rig.update("t1.1", TaskState.RUNNING);
    rig.advance(TIMEOUT);

    rig.update("t1.1", TaskState.KILLED);

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.FAILED);
    assertThat(t1.done()).isTrue();
    assertThat(t1.message()).contains("failed after 1 attempt: timed out after PT10S");
    assertThat(outcome).isCompletedWithValue(t1);
  }

  @Test
  void countsTheTimeoutFromRunningNotFromTheLaunch() {
    launchT1(RetryPolicy.none());
    rig.advance(Duration.ofHours(1)); // staging: fetching a large artifact, say

    rig.update("t1.1", TaskState.RUNNING);
    rig.advance(TIMEOUT.minus(NANO));
    assertThat(rig.backend.kills()).isEmpty();
    rig.advance(NANO);

    assertThat(rig.backend.kills()).containsExactly("t1.1");
  }

  @Test
  void resendsTheKillOfATimedOutAttemptUntilMesosConfirmsIt() {
    launchT1(RetryPolicy.none());
    rig.update("t1.1", TaskState.RUNNING);
    rig.advance(TIMEOUT);

    rig.advance(Duration.ofSeconds(3));
    assertThat(rig.calls()).containsExactly("ack t1.1", "kill t1.1", "kill t1.1", "kill t1.1");

    rig.update("t1.1", TaskState.KILLED);
    rig.advance(Duration.ofMinutes(5));
    assertThat(rig.calls()).containsExactly(
        "ack t1.1", "kill t1.1", "kill t1.1", "kill t1.1", "ack t1.1");
  }

  @Test
  void anAttemptThatFinishesAsItIsKilledForItsTimeoutFinishes() {
    launchT1(RetryPolicy.defaults());
    rig.update("t1.1", TaskState.RUNNING);
    rig.advance(TIMEOUT);

    rig.update("t1.1", TaskState.FINISHED);

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FINISHED);
    assertThat(rig.task("t1").done()).isTrue();
  }

  @Test
  void anAttemptThatEndsBeforeItsTimeoutIsNotKilledLater() {
    launchT1(RetryPolicy.builder().jitter(0).build());
    rig.update("t1.1", TaskState.RUNNING);
    rig.advance(TIMEOUT.minus(Duration.ofSeconds(5)));
    rig.update("t1.1", TaskState.FAILED);
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a1", "cpus:1;mem:128");
    rig.update("t1.2", TaskState.RUNNING);
    rig.clearCalls();

    rig.advance(TIMEOUT.minus(NANO));
    assertThat(rig.calls()).isEmpty(); // attempt 1's deadline passed: it did nothing
    rig.advance(NANO);
    assertThat(rig.calls()).containsExactly("kill t1.2");
  }

  @Test
  void killAllKillsEveryTaskWithoutAnOutcomeAsKillDoes() {
    rig.started();
    rig.submit("running", "cpus:1;mem:128");
    rig.submit("done", "cpus:1;mem:128");
    rig.offer("a1", "cpus:2;mem:256");
    rig.update("running.1", TaskState.RUNNING);
    rig.update("done.1", TaskState.FINISHED);
    rig.submit("waiting", "cpus:64;mem:128");
    rig.clearCalls();

    rig.framework.killAll();
    rig.loop.runPending();

    assertThat(rig.calls()).containsExactly("kill running.1");
    assertThat(rig.task("waiting").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("waiting").message()).contains("killed on request before launch");
    assertThat(rig.task("running").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.task("done").state()).isEqualTo(TaskState.FINISHED);

    rig.update("running.1", TaskState.KILLED);
    assertThat(rig.task("running").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("running").done()).isTrue();
    assertThat(rig.statesSeen("done")).containsExactly(
        TaskState.PENDING, TaskState.STAGING, TaskState.FINISHED);
  }

  @Test
  void finishWithATimeoutReturnsFalseWhileATaskRunsAndTrueOnceTornDown() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");

    assertThat(rig.framework.finish(Duration.ZERO)).isFalse();
    rig.loop.runPending();
    assertThat(rig.framework.isTerminated()).isFalse();

    rig.update("t1.1", TaskState.FINISHED);

    assertThat(rig.backend.tornDown()).isTrue();
    assertThat(rig.framework.finish(Duration.ZERO)).isTrue();
  }

  @Test
  void finishWithATimeoutThenKillAllEndsAFrameworkWhoseTasksWouldRunOn() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    rig.update("t1.1", TaskState.RUNNING);
    assertThat(rig.framework.finish(Duration.ZERO)).isFalse();

    rig.framework.killAll();
    rig.loop.runPending();
    rig.update("t1.1", TaskState.KILLED);

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.backend.tornDown()).isTrue();
    assertThat(rig.framework.awaitTermination(Duration.ZERO)).isTrue();
  }

  @Test
  @Timeout(30)
  void finishWithATimeoutWaitsOnTheFrameworksOwnThreadUntilTornDown() {
    FakeBackend backend = new FakeBackend();
    try (Framework framework = Framework.builder().name("own-thread").backend(backend)
        .frameworkIdStore(FrameworkIdStore.inMemory()).build()) {
      framework.start();
      backend.subscribed("fw-1");
      framework.submit(TestRig.spec("t1", "cpus:1;mem:128"));
      backend.offer("a1", "cpus:1;mem:128");
      // The event thread takes these in order: the offer launches t1.1 before its update.
      backend.update("t1.1", "a1", TaskState.FINISHED, null, null);

      assertThat(framework.finish(Duration.ofSeconds(20))).isTrue();
      assertThat(backend.tornDown()).isTrue();
      assertThat(framework.task(TaskId.of("t1")).orElseThrow().state())
          .isEqualTo(TaskState.FINISHED);
    }
  }

  @Test
  @Timeout(30)
  void finishWithATimeoutRefusesToWaitOnTheEventThread() {
    FakeBackend backend = new FakeBackend();
    Framework[] self = new Framework[1];
    try (Framework framework = Framework.builder().name("own-thread").backend(backend)
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .listener(task -> self[0].finish(Duration.ofSeconds(1)))
        .build()) {
      self[0] = framework;
      framework.start();

      framework.submit(TestRig.spec("t1", "cpus:1;mem:128"));

      assertThatThrownBy(() -> framework.awaitTermination(Duration.ofSeconds(20)))
          .isInstanceOf(MesosKitException.class)
          .cause().isInstanceOf(IllegalStateException.class)
          .hasMessage("finish(Duration) must not be called on the event thread (from a listener)"
              + " of framework own-thread: it would wait for itself");
    }
  }

  @Test
  void finishRefusesANegativeTimeout() {
    rig.started();

    assertThatThrownBy(() -> rig.framework.finish(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be >= 0 but was PT-1S");
    assertThat(rig.framework.isTerminated()).isFalse();
  }
}
