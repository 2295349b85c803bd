package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.TaskLaunch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Retries under the RetryPolicy, the outcomes FAILED, ERROR and KILLED, and stale attempts. */
class FrameworkRetryTest {
  private static final Duration NANO = Duration.ofNanos(1);

  private final TestRig rig = new TestRig();

  /** Starts with {@code policy}, submits t1 and launches it as t1.1 on a1; clears the calls. */
  private void launchT1(RetryPolicy policy) {
    rig.start(rig.builder().retryPolicy(policy));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    rig.clearCalls();
  }

  @ParameterizedTest
  @EnumSource(names = {"FAILED", "LOST", "DROPPED", "UNREACHABLE", "GONE"})
  void retriesAFailedAttemptOnlyAfterTheBackoff(TaskState ending) {
    RetryPolicy policy = RetryPolicy.defaults();
    Duration delay = TestRig.backoffs(policy, 1).get(0);
    launchT1(policy);

    rig.update("t1.1", "a1", ending, "REASON_SOMETHING", "went away");

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.PENDING);
    assertThat(t1.attempt()).isEqualTo(2);
    assertThat(t1.done()).isFalse();
    assertThat(t1.agentId()).isEmpty();
    assertThat(t1.message()).contains("attempt 1 ended " + ending.toMesos()
        + " (REASON_SOMETHING): went away; attempt 2 of 3 after " + delay.toMillis() + " ms");
    assertThat(rig.statesSeen("t1")).containsExactly(
        TaskState.PENDING, TaskState.STAGING, ending, TaskState.PENDING);
    assertThat(rig.seen("t1").get(2).reason()).contains("REASON_SOMETHING");
    assertThat(rig.seen("t1").get(2).attempt()).isEqualTo(1);
    assertThat(rig.calls()).containsExactly("ack t1.1");

    // Offers before the backoff elapsed are declined, not used.
    rig.advance(delay.minus(NANO));
    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.calls()).containsExactly("ack t1.1", "decline [o2]");

    rig.advance(NANO);
    assertThat(rig.calls()).containsExactly("ack t1.1", "decline [o2]", "revive");

    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.calls()).containsExactly(
        "ack t1.1", "decline [o2]", "revive", "accept [o3] [t1.2]", "suppress");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.STAGING);
    assertThat(rig.task("t1").attempt()).isEqualTo(2);
    assertThat(rig.task("t1").message()).isEmpty();
  }

  @Test
  void aMesosIdAnEarlierRunUsedIsReconciledAndItsTaskAdoptedNotFailed() {
    launchT1(RetryPolicy.builder().maxAttempts(1).build());
    // A scheduler run killed just after its ACCEPT launched t1.1 already; the master refuses it.
    duplicate("t1.1");

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.PENDING);
    assertThat(rig.task("t1").done()).isFalse();
    assertThat(rig.calls()).containsExactly("reconcile [t1.1]");
    rig.answer("t1.1", TaskState.RUNNING); // the earlier run's launch runs: it is this task
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.task("t1").attempt()).isEqualTo(1);
    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.calls()).noneMatch(c -> c.startsWith("accept"));
  }

  @Test
  void aMesosIdAnEarlierRunUsedThatEndedMovesToTheNextId() {
    launchT1(RetryPolicy.builder().maxAttempts(3).build());
    duplicate("t1.1");
    rig.answer("t1.1", TaskState.FAILED); // ended, its update not acknowledged

    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.calls()).contains("accept [o2] [t1.2]");
    assertThat(rig.task("t1").done()).isFalse();
  }

  private void duplicate(String mesosTaskId) {
    rig.backend.events().update(new dev.mesoskit.core.spi.TaskStatus(mesosTaskId,
        TaskState.ERROR, java.util.Optional.of("Task has duplicate ID: " + mesosTaskId),
        java.util.Optional.of("REASON_TASK_INVALID"), java.util.Optional.of("SOURCE_MASTER"),
        java.util.Optional.of("a1"), java.util.Optional.empty(), java.util.Optional.empty(),
        java.time.Instant.EPOCH));
    rig.loop.runPending();
  }

  @Test
  void retriesAnExecutorFailure() {
    RetryPolicy policy = RetryPolicy.defaults();
    Duration delay = TestRig.backoffs(policy, 1).get(0);
    launchT1(policy);

    rig.update("t1.1", "a1", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED",
        "Executor terminated");

    assertThat(rig.task("t1").message()).contains("attempt 1 ended TASK_FAILED"
        + " (REASON_EXECUTOR_TERMINATED): Executor terminated; attempt 2 of 3 after "
        + delay.toMillis() + " ms");
    rig.advance(delay);
    rig.offer("a2", "cpus:1;mem:128");
    assertThat(rig.calls()).containsExactly(
        "ack t1.1", "revive", "accept [o2] [t1.2]", "suppress");
    assertThat(rig.task("t1").agentId()).contains("a2");
  }

  @Test
  void growsTheBackoffPerAttemptAndFailsWithTheLastReasonWhenAttemptsRunOut() {
    RetryPolicy policy = RetryPolicy.builder()
        .maxAttempts(3).initialBackoff(Duration.ofSeconds(2)).jitter(0).build();
    launchT1(policy);
    CompletableFuture<Task> outcome = rig.framework.outcome(TaskId.of("t1"));

    rig.update("t1.1", "a1", TaskState.LOST, "REASON_AGENT_REMOVED", "agent removed");
    assertThat(rig.task("t1").message()).contains(
        "attempt 1 ended TASK_LOST (REASON_AGENT_REMOVED): agent removed;"
            + " attempt 2 of 3 after 2000 ms");
    assertThat(rig.loop.pendingDelays()).contains(Duration.ofSeconds(2));
    rig.advance(Duration.ofSeconds(2));
    rig.offer("a1", "cpus:1;mem:128");

    rig.update("t1.2", "a1", TaskState.FAILED, "REASON_COMMAND_EXECUTOR_FAILED", "exit 1");
    assertThat(rig.task("t1").message()).contains(
        "attempt 2 ended TASK_FAILED (REASON_COMMAND_EXECUTOR_FAILED): exit 1;"
            + " attempt 3 of 3 after 4000 ms");
    rig.advance(Duration.ofSeconds(4).minus(NANO));
    assertThat(rig.calls()).doesNotContain("accept [o3] [t1.3]").endsWith("ack t1.2");
    rig.advance(NANO);
    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.backend.launches()).extracting(TaskLaunch::mesosTaskId)
        .containsExactly("t1.2", "t1.3");

    rig.update("t1.3", "a1", TaskState.GONE, "REASON_AGENT_GONE", "agent gone");

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.FAILED);
    assertThat(t1.done()).isTrue();
    assertThat(t1.attempt()).isEqualTo(3);
    assertThat(t1.reason()).contains("REASON_AGENT_GONE");
    assertThat(t1.message()).contains(
        "failed after 3 attempts: TASK_GONE (REASON_AGENT_GONE): agent gone");
    assertThat(outcome).isCompletedWithValue(t1);
    assertThat(rig.calls()).endsWith("accept [o3] [t1.3]", "suppress", "ack t1.3");
    rig.advance(Duration.ofMinutes(5));
    assertThat(rig.calls()).endsWith("ack t1.3");
  }

  @Test
  void usesTheJitterOfTheInjectedRandomForEachBackoff() {
    RetryPolicy policy = RetryPolicy.defaults();
    List<Duration> delays = TestRig.backoffs(policy, 2);
    launchT1(policy);

    rig.update("t1.1", TaskState.LOST);
    rig.advance(delays.get(0));
    rig.offer("a1", "cpus:1;mem:128");
    rig.update("t1.2", TaskState.LOST);

    assertThat(rig.task("t1").message()).contains("attempt 2 ended TASK_LOST;"
        + " attempt 3 of 3 after " + delays.get(1).toMillis() + " ms");
    rig.advance(delays.get(1).minus(NANO));
    assertThat(rig.calls()).endsWith("ack t1.2");
    rig.advance(NANO);
    assertThat(rig.calls()).endsWith("ack t1.2", "revive");
  }

  @Test
  void failsAfterOneAttemptWithRetryPolicyNone() {
    launchT1(RetryPolicy.none());

    rig.update("t1.1", "a1", TaskState.FAILED, null, "exit 3");

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.FAILED);
    assertThat(t1.done()).isTrue();
    assertThat(t1.message()).contains("failed after 1 attempt: TASK_FAILED: exit 3");
    assertThat(t1.reason()).isEmpty();
    // A final failure shows once, as the outcome.
    assertThat(rig.statesSeen("t1")).containsExactly(
        TaskState.PENDING, TaskState.STAGING, TaskState.FAILED);
    assertThat(rig.seen("t1")).extracting(Task::done).containsExactly(false, false, true);
    assertThat(rig.seen("t1").get(2).message())
        .hasValue("failed after 1 attempt: TASK_FAILED: exit 3");
  }

  @Test
  void doesNotRetryAnInvalidTask() {
    launchT1(RetryPolicy.defaults());

    rig.update("t1.1", "a1", TaskState.FAILED, "REASON_TASK_INVALID", "bad");

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.task("t1").done()).isTrue();
    assertThat(rig.task("t1").message())
        .contains("failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): bad");
  }

  @Test
  void doesNotRetryError() {
    launchT1(RetryPolicy.defaults());

    rig.update("t1.1", "a1", TaskState.ERROR, "REASON_TASK_INVALID", "Task uses invalid resources");

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.ERROR);
    assertThat(t1.done()).isTrue();
    assertThat(t1.attempt()).isEqualTo(1);
    assertThat(t1.message()).contains("Task uses invalid resources");
    assertThat(t1.reason()).contains("REASON_TASK_INVALID");
    rig.advance(Duration.ofMinutes(5));
    assertThat(rig.calls()).containsExactly("ack t1.1");
  }

  @Test
  void killsARunningTaskOnRequestAndEndsKilledWithoutRetry() {
    launchT1(RetryPolicy.defaults());
    rig.update("t1.1", TaskState.RUNNING);

    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();
    assertThat(rig.calls()).containsExactly("ack t1.1", "kill t1.1");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.RUNNING);

    rig.update("t1.1", "a1", TaskState.KILLED, null, "Command terminated with signal Killed");

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.KILLED);
    assertThat(t1.done()).isTrue();
    assertThat(t1.attempt()).isEqualTo(1);
    assertThat(t1.message()).contains("Command terminated with signal Killed");
    assertThat(rig.framework.outcome(TaskId.of("t1"))).isCompletedWithValue(t1);
    rig.advance(Duration.ofMinutes(5));
    assertThat(rig.calls()).containsExactly("ack t1.1", "kill t1.1", "ack t1.1");
  }

  @Test
  void resendsAKillUntilMesosConfirmsIt() {
    launchT1(RetryPolicy.defaults());

    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();
    rig.advance(Duration.ofSeconds(1).minus(NANO));
    assertThat(rig.calls()).containsExactly("kill t1.1");
    rig.advance(NANO);
    assertThat(rig.calls()).containsExactly("kill t1.1", "kill t1.1");
    rig.advance(Duration.ofSeconds(2));
    assertThat(rig.calls()).containsExactly("kill t1.1", "kill t1.1", "kill t1.1");

    rig.update("t1.1", TaskState.KILLED);
    rig.advance(Duration.ofMinutes(5));
    assertThat(rig.calls()).containsExactly("kill t1.1", "kill t1.1", "kill t1.1", "ack t1.1");
  }

  @Test
  void aKillWithItsOwnGracePeriodSendsItOnEveryResendAndShowsKillingUntilKilled() {
    launchT1(RetryPolicy.defaults());
    rig.update("t1.1", TaskState.RUNNING);
    rig.clearCalls();

    rig.framework.kill(TaskId.of("t1"), Duration.ofMillis(500));
    rig.loop.runPending();
    assertThat(rig.calls()).containsExactly("kill t1.1 grace=PT0.5S");
    rig.advance(Duration.ofSeconds(1));
    assertThat(rig.calls()).containsExactly("kill t1.1 grace=PT0.5S", "kill t1.1 grace=PT0.5S");

    rig.update("t1.1", TaskState.KILLING);
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.KILLING);
    assertThat(rig.task("t1").done()).isFalse();
    assertThat(rig.framework.outcome(TaskId.of("t1"))).isNotDone();

    rig.update("t1.1", "a1", TaskState.KILLED, null, "Command terminated with signal Killed");
    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.KILLED);
    assertThat(t1.message()).hasValue("Command terminated with signal Killed");
    assertThat(rig.statesSeen("t1")).containsSubsequence(TaskState.RUNNING, TaskState.KILLING,
        TaskState.KILLED);
    rig.advance(Duration.ofMinutes(5));
    assertThat(rig.calls()).containsExactly("kill t1.1 grace=PT0.5S", "kill t1.1 grace=PT0.5S",
        "ack t1.1", "ack t1.1");
  }

  @Test
  void aStaleRunningUpdateAfterKillingIsIgnored() {
    launchT1(RetryPolicy.defaults());
    rig.update("t1.1", TaskState.RUNNING);
    rig.update("t1.1", TaskState.KILLING);

    rig.update("t1.1", TaskState.RUNNING);

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.KILLING);
  }

  @Test
  void aKillWithANegativeGracePeriodFailsFast() {
    launchT1(RetryPolicy.defaults());

    assertThatThrownBy(() -> rig.framework.kill(TaskId.of("t1"), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gracePeriod must be >= 0 but was PT-1S");
  }

  @Test
  void endsKilledWhenAKilledTasksAttemptEndsOtherwise() {
    launchT1(RetryPolicy.defaults());
    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();

    rig.update("t1.1", "a1", TaskState.LOST, "REASON_AGENT_REMOVED", null);

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.KILLED);
    assertThat(t1.done()).isTrue();
    assertThat(t1.attempt()).isEqualTo(1);
    assertThat(t1.message())
        .contains("killed on request; the attempt ended TASK_LOST (REASON_AGENT_REMOVED)");
    assertThat(rig.calls()).containsExactly("kill t1.1", "ack t1.1");
  }

  @Test
  void killsAPendingTaskAtOnce() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:512");
    rig.offer("a1", "cpus:1;mem:128");
    rig.clearCalls();

    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.KILLED);
    assertThat(t1.done()).isTrue();
    assertThat(t1.message()).contains("killed on request before launch");
    assertThat(rig.statesSeen("t1")).containsExactly(TaskState.PENDING, TaskState.KILLED);
    assertThat(rig.calls()).isEmpty();

    rig.offer("a1", "cpus:4;mem:4096");
    assertThat(rig.calls()).containsExactly("decline [o2]", "suppress");
  }

  @Test
  void killsATaskWaitingForItsRetryAtOnce() {
    launchT1(RetryPolicy.defaults());
    rig.update("t1.1", TaskState.FAILED);

    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("t1").attempt()).isEqualTo(2);
    rig.advance(Duration.ofMinutes(5));
    assertThat(rig.calls()).containsExactly("ack t1.1");
  }

  @Test
  void ignoresAKillOfATaskThatHasAnOutcome() {
    launchT1(RetryPolicy.defaults());
    rig.update("t1.1", TaskState.FINISHED);

    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FINISHED);
    assertThat(rig.calls()).containsExactly("ack t1.1");
  }

  @Test
  void killsAnEarlierAttemptThatComesBackAfterItWasReplaced() {
    RetryPolicy policy = RetryPolicy.builder().jitter(0).build();
    launchT1(policy);
    rig.update("t1.1", "a1", TaskState.UNREACHABLE, "REASON_AGENT_UNREACHABLE", null);
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a2", "cpus:1;mem:128");
    rig.clearCalls();
    int listenerCalls = rig.seen.size();

    rig.update("t1.1", "a1", TaskState.RUNNING, "REASON_AGENT_REREGISTERED", null);

    assertThat(rig.calls()).containsExactly("kill t1.1", "ack t1.1");
    Task t1 = rig.task("t1");
    assertThat(t1.attempt()).isEqualTo(2);
    assertThat(t1.state()).isEqualTo(TaskState.STAGING);
    assertThat(t1.agentId()).contains("a2");
    assertThat(rig.seen).hasSize(listenerCalls);

    // Its end is stale too and changes nothing.
    rig.update("t1.1", "a1", TaskState.KILLED, null, null);
    assertThat(rig.task("t1")).isEqualTo(t1);
    assertThat(rig.seen).hasSize(listenerCalls);
  }

  @Test
  void killsAReplacedAttemptThatComesBackAfterTheTaskEnded() {
    RetryPolicy policy = RetryPolicy.builder().jitter(0).build();
    launchT1(policy);
    rig.update("t1.1", "a1", TaskState.UNREACHABLE, "REASON_AGENT_UNREACHABLE", null);
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a2", "cpus:1;mem:128");
    rig.update("t1.2", "a2", TaskState.FINISHED, null, null);
    rig.clearCalls();

    rig.answer("t1.1", TaskState.RUNNING);

    assertThat(rig.calls()).containsExactly("kill t1.1");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FINISHED);
  }

  @Test
  void killsAnUnreachableLastAttemptThatComesBackAfterTheTaskFailed() {
    launchT1(RetryPolicy.none());
    rig.update("t1.1", "a1", TaskState.UNREACHABLE, "REASON_AGENT_UNREACHABLE", null);
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FAILED);
    int listenerCalls = rig.seen.size();

    rig.update("t1.1", "a1", TaskState.RUNNING, "REASON_AGENT_REREGISTERED", null);

    assertThat(rig.calls()).containsExactly("ack t1.1", "kill t1.1", "ack t1.1");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.seen).hasSize(listenerCalls);
  }

  @Test
  void killsAnUnreachableAttemptThatComesBackAfterItWasKilledOnRequest() {
    launchT1(RetryPolicy.defaults());
    rig.framework.kill(TaskId.of("t1"));
    rig.loop.runPending();
    rig.update("t1.1", "a1", TaskState.UNREACHABLE, "REASON_AGENT_UNREACHABLE", null);
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.KILLED);
    rig.clearCalls();

    rig.answer("t1.1", TaskState.RUNNING);

    assertThat(rig.calls()).containsExactly("kill t1.1");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.KILLED);
  }
  @Test
  void anUnlimitedPolicyRelaunchesEveryDeathOnANewOfferWithTheBackoffCappedAndShowsTheNewPort() {
    RetryPolicy policy = RetryPolicy.builder().unlimitedAttempts()
        .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(8)).jitter(0).build();
    rig.start(rig.builder().retryPolicy(policy));
    rig.subscribed();
    rig.submit("web", "cpus:0.5;mem:128;ports:1");
    rig.offer("a1", "cpus:1;mem:256;ports:[31000-31000]");
    rig.update("web.1", "a1", TaskState.RUNNING, null, null);
    List<Long> delays = new java.util.ArrayList<>();
    for (int attempt = 1; attempt <= 12; attempt++) {
      String agent = attempt % 2 == 0 ? "a1" : "a2";
      rig.update("web." + attempt, attempt % 2 == 0 ? "a2" : "a1", TaskState.FAILED,
          "REASON_EXECUTOR_TERMINATED", "Executor terminated");
      Task relaunching = rig.task("web");
      assertThat(relaunching.state()).isEqualTo(TaskState.PENDING);
      Duration delay = Duration.ofSeconds(Math.min(8, 1L << (attempt - 1)));
      delays.add(delay.toMillis());
      assertThat(relaunching.message()).contains("attempt " + attempt + " ended TASK_FAILED"
          + " (REASON_EXECUTOR_TERMINATED): Executor terminated; attempt " + (attempt + 1)
          + " after " + delay.toMillis() + " ms");
      rig.advance(delay);
      long port = 31000 + attempt;
      rig.offer(agent, "cpus:1;mem:256;ports:[" + port + "-" + port + "]");
      rig.update("web." + (attempt + 1), agent, TaskState.RUNNING, null, null);
      Task running = rig.task("web");
      assertThat(running.state()).isEqualTo(TaskState.RUNNING);
      assertThat(running.attempt()).isEqualTo(attempt + 1);
      assertThat(running.hostname()).contains(agent + ".host");
      assertThat(running.ports()).containsExactly(port);
      assertThat(running.done()).isFalse();
    }
    assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 8000L, 8000L, 8000L, 8000L,
        8000L, 8000L, 8000L, 8000L);
    // The listener saw RUNNING once per attempt, each with that attempt's port.
    assertThat(rig.seen("web").stream().filter(t -> t.state() == TaskState.RUNNING)
        .map(t -> t.attempt() + "@" + t.ports())).containsExactly("1@[31000]", "2@[31001]",
        "3@[31002]", "4@[31003]", "5@[31004]", "6@[31005]", "7@[31006]", "8@[31007]",
        "9@[31008]", "10@[31009]", "11@[31010]", "12@[31011]", "13@[31012]");
  }

  @Test
  void theBackoffStartsAgainAfterAnAttemptThatRanAsLongAsTheLongestBackoff() {
    RetryPolicy policy = RetryPolicy.builder().unlimitedAttempts()
        .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(8)).jitter(0).build();
    rig.start(rig.builder().retryPolicy(policy));
    rig.subscribed();
    rig.submit("web", "cpus:0.5;mem:128");
    rig.offer("a1", "cpus:1;mem:256");
    // How long each attempt runs before it dies: four crashes at once, then one that ran 8 s
    // (the longest backoff), one at once, one that ran just under 8 s, one at once.
    long[] ranMillis = {0, 0, 0, 0, 8000, 0, 7999, 0};
    List<Long> delays = new java.util.ArrayList<>();
    for (int attempt = 1; attempt <= ranMillis.length; attempt++) {
      rig.update("web." + attempt, "a1", TaskState.RUNNING, null, null);
      rig.advance(Duration.ofMillis(ranMillis[attempt - 1]));
      rig.update("web." + attempt, "a1", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED", "gone");
      String message = rig.task("web").message().orElseThrow();
      delays.add(Long.parseLong(message.substring(message.lastIndexOf(" after ") + 7,
          message.length() - 3)));
      rig.advance(Duration.ofMillis(delays.get(delays.size() - 1)));
      rig.offer("a1", "cpus:1;mem:256");
    }
    assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 1000L, 2000L, 4000L, 8000L);
    assertThat(rig.task("web").attempt()).isEqualTo(9); // attempts still count
  }

  @Test
  void anUnlimitedPolicyStillEndsTheTaskOnAnEndingItDoesNotRetry() {
    launchT1(RetryPolicy.builder().unlimitedAttempts().build());

    rig.update("t1.1", "a1", TaskState.FAILED, "REASON_TASK_INVALID", "bad spec");

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.task("t1").done()).isTrue();
    assertThat(rig.task("t1").message())
        .contains("failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): bad spec");
  }
}
