package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.ReconcileTask;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Explicit reconciliation after every (re)subscription and periodic implicit reconciliation. */
class FrameworkReconciliationTest {
  private static final Duration NANO = Duration.ofNanos(1);

  private final TestRig rig = new TestRig();

  /**
   * Starts with explicit backoff 1 s..4 s and implicit reconciliation every hour; launches t1
   * (RUNNING) and t2 (STAGING) on a1, ends t3 FINISHED, keeps t4 pending; clears the calls.
   */
  private void fourTasks() {
    rig.start(rig.builder()
        .reconcileBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
        .implicitReconcileInterval(Duration.ofHours(1)));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");
    rig.submit("t3", "cpus:1;mem:128");
    rig.offer("a1", "cpus:3;mem:384");
    rig.update("t1.1", TaskState.RUNNING);
    rig.update("t3.1", TaskState.FINISHED);
    rig.submit("t4", "cpus:64;mem:128");
    rig.clearCalls();
  }

  private List<String> reconcileCalls() {
    return rig.calls().stream().filter(c -> c.startsWith("reconcile")).toList();
  }

  @Test
  void doesNotReconcileOnTheFirstSubscriptionWithoutLaunchedTasks() {
    rig.start();
    rig.submit("t1", "cpus:1;mem:128");

    rig.subscribed();
    rig.advance(Duration.ofMinutes(5));

    assertThat(rig.backend.reconciles()).isEmpty();
  }

  @Test
  void reconcilesEveryLaunchedTaskAfterResubscribingWithTruncatedExponentialBackoff() {
    fourTasks();
    rig.disconnected();

    rig.subscribed();

    assertThat(rig.calls()).as("t4 still waits for resources, so offers are revived")
        .containsExactly("reconcile [t1.1, t2.1]", "revive");
    assertThat(rig.backend.reconciles()).containsExactly(List.of(
        new ReconcileTask("t1.1", Optional.of("a1")),
        new ReconcileTask("t2.1", Optional.of("a1"))));

    // Rounds at 1 s, then 2 s, 4 s, 4 s ... later while nobody answers.
    long[] gapsSeconds = {1, 2, 4, 4, 4};
    for (int i = 0; i < gapsSeconds.length; i++) {
      rig.advance(Duration.ofSeconds(gapsSeconds[i]).minus(NANO));
      assertThat(reconcileCalls()).hasSize(1 + i);
      rig.advance(NANO);
      assertThat(reconcileCalls()).hasSize(2 + i).last().isEqualTo("reconcile [t1.1, t2.1]");
    }
  }

  @Test
  void asksOnlyTasksThatHaveNotAnsweredAndStopsOnceAllAnswered() {
    fourTasks();
    rig.disconnected();
    rig.subscribed();

    rig.answer("t1.1", TaskState.RUNNING);
    rig.advance(Duration.ofSeconds(1));
    rig.advance(Duration.ofSeconds(2));
    assertThat(rig.calls()).containsExactly(
        "reconcile [t1.1, t2.1]", "revive", "reconcile [t2.1]", "reconcile [t2.1]");

    rig.answer("t2.1", TaskState.STAGING);
    rig.advance(Duration.ofMinutes(30));

    assertThat(rig.calls()).containsExactly(
        "reconcile [t1.1, t2.1]", "revive", "reconcile [t2.1]", "reconcile [t2.1]");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.task("t2").state()).isEqualTo(TaskState.STAGING);
  }

  @Test
  void countsAnUpdateWithUuidAsAnAnswer() {
    fourTasks();
    rig.disconnected();
    rig.subscribed();

    rig.update("t1.1", TaskState.RUNNING);
    rig.update("t2.1", TaskState.RUNNING);
    rig.advance(Duration.ofMinutes(30));

    assertThat(rig.calls()).containsExactly(
        "reconcile [t1.1, t2.1]", "revive", "ack t1.1", "ack t2.1");
  }

  @Test
  void retriesATaskTheMasterDoesNotKnow() {
    fourTasks();
    rig.disconnected();
    rig.subscribed();

    rig.backend.reconciliationAnswer("t2.1", "a1", TaskState.UNKNOWN);
    rig.loop.runPending();

    Task t2 = rig.task("t2");
    assertThat(t2.state()).isEqualTo(TaskState.PENDING);
    assertThat(t2.attempt()).isEqualTo(2);
    assertThat(t2.message().orElseThrow()).startsWith(
        "attempt 1 ended TASK_UNKNOWN (REASON_RECONCILIATION): Reconciliation: Latest task state;"
            + " attempt 2 of 3 after ");
    rig.advance(Duration.ofSeconds(1));
    assertThat(reconcileCalls()).containsExactly("reconcile [t1.1, t2.1]", "reconcile [t1.1]");
  }

  @Test
  void restartsReconciliationOnEveryResubscription() {
    fourTasks();
    rig.disconnected();
    rig.subscribed();
    rig.advance(Duration.ofSeconds(1));
    rig.disconnected();

    rig.advance(Duration.ofSeconds(30));
    assertThat(rig.calls()).containsExactly("reconcile [t1.1, t2.1]", "revive",
        "reconcile [t1.1, t2.1]");

    rig.subscribed();
    rig.advance(Duration.ofSeconds(1));
    assertThat(rig.calls()).containsExactly("reconcile [t1.1, t2.1]", "revive",
        "reconcile [t1.1, t2.1]", "reconcile [t1.1, t2.1]", "revive",
        "reconcile [t1.1, t2.1]");
    // The rounds of the first subscription do not run on: the backoff starts again at 1 s, 2 s.
    rig.advance(Duration.ofSeconds(2).minus(NANO));
    assertThat(reconcileCalls()).hasSize(4);
    rig.advance(NANO);
    assertThat(reconcileCalls()).hasSize(5);
  }

  @Test
  void reconcilesImplicitlyAtTheInterval() {
    rig.start(rig.builder().implicitReconcileInterval(Duration.ofMinutes(3)));
    rig.subscribed();
    rig.clearCalls();

    rig.advance(Duration.ofMinutes(3).minus(NANO));
    assertThat(rig.calls()).isEmpty();
    rig.advance(NANO);
    assertThat(rig.calls()).containsExactly("reconcile []");
    assertThat(rig.backend.reconciles()).containsExactly(List.of());
    rig.advance(Duration.ofMinutes(3));
    assertThat(rig.calls()).containsExactly("reconcile []", "reconcile []");
  }

  @Test
  void reconcilesImplicitlyEveryTenMinutesByDefault() {
    rig.started();
    rig.clearCalls();

    rig.advance(Duration.ofMinutes(10).minus(NANO));
    assertThat(rig.calls()).isEmpty();
    rig.advance(NANO);
    assertThat(rig.calls()).containsExactly("reconcile []");
  }

  @Test
  void doesNotReconcileImplicitlyWhileDisconnected() {
    rig.start(rig.builder().implicitReconcileInterval(Duration.ofMinutes(3)));
    rig.subscribed();
    rig.disconnected();
    rig.clearCalls();

    rig.advance(Duration.ofMinutes(7));
    assertThat(rig.calls()).isEmpty();

    rig.subscribed();
    rig.advance(Duration.ofMinutes(2));
    assertThat(rig.calls()).containsExactly("suppress", "reconcile []");
  }
}
