package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task that cannot be placed: its reason logged at WARN once per change, the placement timeout
 * that fails it, and the WARN when tasks wait and no offer comes at all.
 */
class FrameworkPlacementTest {
  private static final Duration NANO = Duration.ofNanos(1);
  private static final String NO_OFFERS =
      "3 tasks pending and no offers for 30s: does any agent offer resources to role *? name=test";

  private final TestRig rig = new TestRig();
  private final CapturedLog log = new CapturedLog();

  @AfterEach
  void restoreStderr() {
    log.close();
  }

  private static TaskSpec big(String id, Duration placementTimeout) {
    return TestRig.spec(id, "cpus:64;mem:128").toBuilder().placementTimeout(placementTimeout)
        .build();
  }

  @Test
  void warnsOnceWhenATaskCannotBePlacedAndAgainOnlyWhenTheReasonChanges() {
    rig.started();
    rig.submit("t1", "cpus:64;mem:128");

    rig.offer("a1", "cpus:2;mem:1024");
    rig.advance(Duration.ofSeconds(5));
    rig.offer("a1", "cpus:2;mem:1024");
    rig.offer("a1", "cpus:2;mem:1024");
    assertThat(log.lines("WARN"))
        .containsExactly("task not placed task=t1 reason=needs cpus 64, the largest offer has 2");
    assertThat(rig.task("t1").message()).contains("needs cpus 64, the largest offer has 2");

    rig.offer("a2", "cpus:4;mem:1024");
    rig.offer("a2", "cpus:4;mem:1024");

    assertThat(log.lines("WARN")).containsExactly(
        "task not placed task=t1 reason=needs cpus 64, the largest offer has 2",
        "task not placed task=t1 reason=needs cpus 64, the largest offer has 4");
    assertThat(rig.task("t1").message()).contains("needs cpus 64, the largest offer has 4");
  }

  @Test
  void aTaskThatWaitsOnlyForItsTurnOnABusyAgentIsNotWarnedAbout() {
    rig.started();
    rig.offer("a1", "cpus:4;mem:1024"); // what a1 holds, as far as its offers tell
    rig.submit("t1", "cpus:3;mem:128");
    rig.submit("t2", "cpus:3;mem:128");

    rig.offer("a1", "cpus:4;mem:1024"); // t1 takes 3 cpus, t2 finds 1 left

    assertThat(rig.task("t2").state()).isEqualTo(TaskState.PENDING);
    assertThat(rig.task("t2").message()).isPresent();
    assertThat(log.lines("WARN")).isEmpty();

    rig.submit("t3", "cpus:8;mem:128"); // more than any agent offered at once: never fits
    rig.offer("a1", "cpus:1;mem:1024");
    assertThat(log.lines("WARN")).containsExactly(
        "task not placed task=t3 reason=needs cpus 8, the largest offer has 1");
  }

  @Test
  void failsATaskNotPlacedWithinItsPlacementTimeoutNamingTheLastReason() {
    rig.started();
    TaskId t1 = rig.submit(big("t1", Duration.ofMinutes(5)));
    CompletableFuture<Task> outcome = rig.framework.outcome(t1);
    rig.offer("a1", "cpus:2;mem:1024");

    rig.advance(Duration.ofMinutes(5).minus(NANO));
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.PENDING);
    rig.advance(NANO);

    Task failed = rig.task("t1");
    assertThat(failed.state()).isEqualTo(TaskState.FAILED);
    assertThat(failed.done()).isTrue();
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.message())
        .contains("not placed within PT5M: needs cpus 64, the largest offer has 2");
    assertThat(failed.reason()).isEmpty();
    assertThat(outcome).isCompletedWithValue(failed);
    assertThat(rig.statesSeen("t1")).containsExactly(TaskState.PENDING, TaskState.FAILED);

    // Not retried: a fitting offer later is declined and offers are suppressed.
    rig.clearCalls();
    rig.offer("a1", "cpus:64;mem:1024");
    assertThat(rig.calls()).containsExactly("decline [o2]", "suppress");
  }

  @Test
  void theFrameworksPlacementTimeoutAppliesToTasksWithoutTheirOwnAndSaysWhenNoOfferCame() {
    rig.start(rig.builder().placementTimeout(Duration.ofMinutes(1)));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit(big("t2", Duration.ofMinutes(2)));

    rig.advance(Duration.ofMinutes(1));
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.task("t1").message()).contains("not placed within PT1M: no offer was received");
    assertThat(rig.task("t2").state()).isEqualTo(TaskState.PENDING);

    rig.advance(Duration.ofMinutes(1));
    assertThat(rig.task("t2").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.task("t2").message()).contains("not placed within PT2M: no offer was received");
  }

  @Test
  void thePlacementClockOfARetryStartsWhenItsBackoffEnds() {
    RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofSeconds(10)).jitter(0)
        .build();
    rig.start(rig.builder().retryPolicy(policy).placementTimeout(Duration.ofSeconds(30)));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    rig.advance(Duration.ofMinutes(1)); // launched: its placement timeout no longer counts
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.STAGING);

    rig.update("t1.1", TaskState.FAILED);
    rig.advance(Duration.ofSeconds(40).minus(NANO));
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.PENDING);
    rig.advance(NANO);

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.task("t1").attempt()).isEqualTo(2);
    assertThat(rig.task("t1").message())
        .contains("not placed within PT30S: no offer was received");
  }

  @Test
  void waitsForAnOfferForEverWithoutAPlacementTimeout() {
    rig.started();
    rig.submit("t1", "cpus:64;mem:128");
    rig.offer("a1", "cpus:2;mem:1024");

    rig.advance(Duration.ofDays(30));

    assertThat(rig.task("t1").state()).isEqualTo(TaskState.PENDING);
    assertThat(rig.task("t1").done()).isFalse();
  }

  @Test
  void warnsOnceWhenTasksWaitAndNoOfferCameForThirtySecondsAndAgainOnlyAfterOffersCameAndStopped() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");
    rig.advance(Duration.ofSeconds(10));
    rig.submit("t3", "cpus:1;mem:128");

    rig.advance(Duration.ofSeconds(20).minus(NANO));
    assertThat(log.lines("WARN")).isEmpty();
    rig.advance(NANO);
    assertThat(log.lines("WARN")).containsExactly(NO_OFFERS);
    rig.advance(Duration.ofMinutes(10));
    assertThat(log.lines("WARN")).containsExactly(NO_OFFERS);

    rig.offer("a1", "cpus:0.5;mem:128"); // offers come again, but too small for any task
    log.clear();
    rig.advance(Duration.ofSeconds(30).minus(NANO));
    assertThat(log.lines("WARN")).isEmpty();
    rig.advance(NANO);
    assertThat(log.lines("WARN")).containsExactly(NO_OFFERS);
  }

  @Test
  void doesNotWarnOfMissingOffersAgainForNewTasksWhileStillNoOfferCame() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.advance(Duration.ofSeconds(30));
    rig.framework.kill(TaskId.of("t1"));
    rig.disconnected();
    rig.subscribed();

    rig.submit("t2", "cpus:1;mem:128");
    rig.advance(Duration.ofMinutes(5));

    assertThat(log.lines("WARN")).filteredOn(line -> line.contains("no offers"))
        .containsExactly("1 task pending and no offers for 30s: does any agent offer resources to"
            + " role *? name=test");
  }

  @Test
  void doesNotWarnOfMissingOffersWhileNoTaskWaitsOrWhileDisconnected() {
    rig.started();
    rig.advance(Duration.ofMinutes(5));
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128"); // launched: nothing waits
    rig.advance(Duration.ofMinutes(5));
    rig.submit("t2", "cpus:1;mem:128");
    rig.disconnected();
    rig.advance(Duration.ofMinutes(5));
    assertThat(log.lines("WARN"))
        .containsExactly("framework disconnected name=test cause=connection reset (the backend"
            + " reconnects)");

    rig.subscribed();
    rig.advance(Duration.ofSeconds(30));

    assertThat(log.lines("WARN")).endsWith("1 task pending and no offers for 30s: does any"
        + " agent offer resources to role *? name=test").hasSize(2);
  }
}
