package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Start, failover, finish, close and the ways a framework fails: a listener that throws, a master
 * ERROR, a packing strategy that breaks its contract.
 */
class FrameworkLifecycleTest {
  private final TestRig rig = new TestRig();

  @Test
  void storesTheFrameworkIdAfterSubscribedAndFailsOverToItOnTheNextStart() {
    rig.start(rig.builder().failoverTimeout(Duration.ofHours(2)));
    assertThat(rig.backend.info().id()).isEmpty();
    assertThat(rig.backend.info().failoverTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(rig.backend.info().capabilities()).containsExactly("PARTITION_AWARE");
    assertThat(rig.framework.frameworkId()).isEmpty();

    rig.subscribed();
    assertThat(rig.store.load()).contains("fw-1");
    assertThat(rig.framework.frameworkId()).contains("fw-1");
    rig.framework.close();
    rig.loop.runPending();
    assertThat(rig.store.load()).contains("fw-1");

    TestRig next = new TestRig(rig.store);
    next.start(next.builder().failoverTimeout(Duration.ofHours(2)));

    assertThat(next.calls()).containsExactly("subscribe fw-1");
    assertThat(next.backend.info().id()).contains("fw-1");
    assertThat(next.backend.info().failoverTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(next.framework.frameworkId()).contains("fw-1");
    next.subscribed();
    assertThat(next.store.load()).contains("fw-1");
  }

  @Test
  void subscribesWithAFailoverTimeoutOfSevenDaysByDefault() {
    rig.start();

    assertThat(rig.backend.info().failoverTimeout()).isEqualTo(Duration.ofDays(7));
    assertThat(rig.backend.info().name()).isEqualTo("test");
    assertThat(rig.backend.info().role()).isEqualTo("*");
  }

  @Test
  void storesTheNewIdWhenTheMasterAssignsAnotherOne() {
    rig.store.save("fw-old");
    rig.start();

    rig.backend.subscribed("fw-new");
    rig.loop.runPending();

    assertThat(rig.store.load()).contains("fw-new");
    assertThat(rig.framework.frameworkId()).contains("fw-new");
  }

  @Test
  void aFailedOverTaskWhoseEarlierAttemptFailedLaunchesUnderANewMesosIdAndOneThatFinishedIsDone() {
    rig.store.save("fw-1");
    rig.started();
    TaskId t1 = rig.submit("t1", "cpus:1;mem:64");
    rig.submit("t2", "cpus:1;mem:64");
    rig.submit("t3", "cpus:1;mem:64");
    rig.answer("t1.1", TaskState.FINISHED); // finished while no scheduler ran, not acknowledged
    rig.answer("t2.1", TaskState.LOST); // the master does not know it: never launched
    rig.answer("t3.1", TaskState.FAILED); // failed, still known: the same id would be a duplicate
    rig.offer("a1", "cpus:4;mem:1024");

    assertThat(rig.backend.accepts()).hasSize(1);
    assertThat(rig.backend.accepts().get(0).launches())
        .extracting(dev.mesoskit.core.spi.TaskLaunch::mesosTaskId)
        .containsExactlyInAnyOrder("t2.1", "t3.2");
    Task done = rig.framework.outcome(t1).getNow(null);
    assertThat(done).isNotNull();
    assertThat(done.state()).isEqualTo(TaskState.FINISHED);
    assertThat(done.attempt()).isEqualTo(1);
  }

  @Test
  void logsEachAdoptionOnceWithItsStateAndTheTimeOfTheStatusThatReportedIt() {
    rig.store.save("fw-1");
    rig.started();
    rig.submit("t1", "cpus:1;mem:64");
    rig.submit("t2", "cpus:1;mem:64");
    TaskStatus running = new TaskStatus("t1.2", TaskState.RUNNING,
        Optional.of("Reconciliation: Latest task state"), Optional.of("REASON_RECONCILIATION"),
        Optional.of("SOURCE_MASTER"), Optional.of("a1"), Optional.empty(), Optional.empty(),
        Instant.parse("2025-12-31T22:15:00Z"));

    try (CapturedLog log = new CapturedLog()) {
      rig.backend.events().update(running); // an earlier run's second attempt still runs
      rig.backend.events().update(running); // the implicit reconciliation answers again
      rig.loop.runPending();
      rig.answer("t2.1", TaskState.FINISHED); // FakeBackend's answers carry no timestamp

      assertThat(log.lines("INFO")).filteredOn(line -> line.startsWith("adopting"))
          .containsExactly(
              "adopting a task launched by an earlier scheduler run task=t1 mesos_task=t1.2"
                  + " state=RUNNING agent=a1 status_time=2025-12-31T22:15:00Z",
              "adopting the outcome of a task launched by an earlier scheduler run task=t2"
                  + " mesos_task=t2.1 state=FINISHED agent=a1 status_time=unknown");
    }
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.RUNNING);
    assertThat(rig.task("t1").attempt()).isEqualTo(2);
    assertThat(rig.task("t2").state()).isEqualTo(TaskState.FINISHED);
  }

  @Test
  void refusesASecondStart() {
    rig.start();

    assertThatThrownBy(rig.framework::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("framework test was already started (state STARTED)");
    assertThat(rig.calls()).containsExactly("subscribe");
  }

  @Test
  void failsTheFrameworkWhenAListenerThrows() {
    IllegalStateException boom = new IllegalStateException("boom");
    rig.start(rig.builder().listener(task -> {
      if (task.state() == TaskState.RUNNING) {
        throw boom;
      }
    }));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:8;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    CompletableFuture<Task> t2 = rig.framework.outcome(TaskId.of("t2"));
    rig.clearCalls();

    rig.update("t1.1", TaskState.RUNNING);

    assertThat(rig.framework.isTerminated()).isTrue();
    assertThat(rig.backend.closed()).isTrue();
    assertThat(rig.backend.tornDown()).isFalse();
    assertThat(rig.calls()).containsExactly("ack t1.1", "close");
    MesosKitException thrown = catchThrowableOfType(MesosKitException.class,
        () -> rig.framework.awaitTermination(Duration.ZERO));
    assertThat(thrown).hasCause(boom).hasMessageEndingWith(" failed on task t1 (RUNNING)");
    assertThat(thrown.getCause()).isSameAs(boom);
    assertThatThrownBy(rig.framework::awaitTermination).isSameAs(thrown);
    assertThat(t2).isCompletedExceptionally();
    assertThat(rig.store.load()).contains("fw-1");

    // A failed framework reacts to nothing any more.
    rig.offer("a1", "cpus:8;mem:128");
    rig.update("t1.1", TaskState.FINISHED);
    rig.advance(Duration.ofHours(1));
    assertThat(rig.calls()).containsExactly("ack t1.1", "close");
  }

  @Test
  void failsTheFrameworkWhenAListenerThrowsOnSubmission() {
    RuntimeException boom = new RuntimeException("listener bug");
    rig.start(rig.builder().listener(task -> {
      throw boom;
    }));
    rig.subscribed();

    rig.submit("t1", "cpus:1;mem:128");

    assertThat(rig.calls()).containsExactly("subscribe", "suppress", "close");
    assertThatThrownBy(() -> rig.framework.awaitTermination(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessageEndingWith(" failed on task t1 (PENDING)")
        .cause().isSameAs(boom);
  }

  @Test
  void finishTearsDownOnceEveryTaskHasAnOutcome() throws Exception {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");
    rig.offer("a1", "cpus:2;mem:256");
    rig.update("t1.1", TaskState.RUNNING);
    rig.clearCalls();

    rig.framework.finish();
    rig.loop.runPending();
    assertThat(rig.framework.isTerminated()).isFalse();
    assertThatThrownBy(() -> rig.framework.submit(TestRig.spec("t3", "cpus:1;mem:128")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot submit to framework test: it is finishing");
    assertThat(rig.framework.awaitTermination(Duration.ZERO)).isFalse();

    rig.update("t1.1", TaskState.FINISHED);
    assertThat(rig.framework.isTerminated()).isFalse();
    rig.update("t2.1", TaskState.FAILED);
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a1", "cpus:2;mem:256");
    assertThat(rig.framework.isTerminated()).isFalse();

    rig.update("t2.2", TaskState.FINISHED);

    assertThat(rig.calls()).containsExactly("ack t1.1", "ack t2.1", "revive",
        "accept [o2] [t2.2]", "suppress", "teardown");
    assertThat(rig.backend.tornDown()).isTrue();
    assertThat(rig.store.load()).isEmpty();
    assertThat(rig.framework.isTerminated()).isTrue();
    assertThat(rig.framework.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(rig.framework.outcome(TaskId.of("t2")).get().state()).isEqualTo(TaskState.FINISHED);
  }

  @Test
  void finishWithoutTasksTearsDownAtOnce() {
    rig.started();

    rig.framework.finish();
    rig.loop.runPending();

    assertThat(rig.calls()).containsExactly("subscribe", "suppress", "teardown");
    assertThat(rig.store.load()).isEmpty();
    assertThat(rig.framework.awaitTermination(Duration.ZERO)).isTrue();
  }

  @Test
  void closeDisconnectsWithoutTearingDown() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    CompletableFuture<Task> outcome = rig.framework.outcome(TaskId.of("t1"));

    rig.framework.close();
    rig.loop.runPending();

    assertThat(rig.calls()).containsExactly(
        "subscribe", "suppress", "revive", "accept [o1] [t1.1]", "suppress", "close");
    assertThat(rig.backend.tornDown()).isFalse();
    assertThat(rig.store.load()).contains("fw-1");
    assertThat(rig.framework.isTerminated()).isTrue();
    assertThat(rig.framework.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(outcome).isCompletedExceptionally();
    assertThatThrownBy(outcome::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MesosKitException.class)
        .hasMessage("framework test stopped before the task had an outcome");

    rig.framework.close();
    rig.loop.runPending();
    assertThat(rig.calls()).endsWith("suppress", "close").filteredOn("close"::equals).hasSize(1);
    assertThatThrownBy(() -> rig.framework.submit(TestRig.spec("t2", "cpus:1;mem:128")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot submit to framework test: it is stopped");
  }

  @Test
  void stopsOnAMasterErrorNamingItsMessage() {
    rig.started();
    rig.clearCalls();

    rig.backend.events().error("Framework has been removed");
    rig.loop.runPending();

    assertThat(rig.framework.isTerminated()).isTrue();
    assertThat(rig.calls()).containsExactly("close");
    assertThat(rig.backend.tornDown()).isFalse();
    assertThatThrownBy(() -> rig.framework.awaitTermination(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("master sent ERROR to framework test framework_id=fw-1: Framework has been"
            + " removed (another scheduler may have subscribed with this framework id, or the"
            + " framework was removed; this instance stops instead of fighting)")
        .hasNoCause();
  }

  @Test
  void failsWhenThePackingStrategyOverCommitsAnAgent() {
    // Broken on purpose: puts every task on the first offer's agent whatever is left there.
    PackingStrategy overCommitting = (tasks, offers) -> new Packing(tasks.stream()
        .map(t -> new Placement(t.id(), offers.get(0).agentId(),
            Resources.parse("cpus:1;mem:128"), Resources.empty()))
        .toList(), Map.of());
    rig.start(rig.builder().packing(overCommitting));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");
    rig.clearCalls();

    rig.offer("a1", "cpus:1.5;mem:512");

    assertThat(rig.calls()).containsExactly("close");
    assertThat(rig.framework.isTerminated()).isTrue();
    assertThatThrownBy(() -> rig.framework.awaitTermination(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("packing strategy " + overCommitting + " broke its contract: over-committed"
            + " agent a1: placed cpus:1;mem:128 for task t2 but only cpus:0.5;mem:384 is left");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void failsWhenThePackingStrategyThrows() {
    IllegalStateException bug = new IllegalStateException("strategy bug");
    PackingStrategy throwing = (tasks, offers) -> {
      throw bug;
    };
    rig.start(rig.builder().packing(throwing));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.clearCalls();

    rig.offer("a1", "cpus:1;mem:128");

    assertThat(rig.calls()).containsExactly("close");
    assertThatThrownBy(() -> rig.framework.awaitTermination(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("packing strategy " + throwing + " failed on 1 tasks and 1 offers")
        .cause().isSameAs(bug);
  }

  @Test
  void failsWhenThePackingStrategyPlacesOnAnAgentWithoutOffer() {
    PackingStrategy elsewhere = (tasks, offers) -> new Packing(tasks.stream()
        .map(t -> new Placement(t.id(), "a9", Resources.parse("cpus:1;mem:128"),
            Resources.empty()))
        .toList(), Map.of());
    rig.start(rig.builder().packing(elsewhere));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");

    rig.offer("a1", "cpus:1;mem:128");

    assertThatThrownBy(() -> rig.framework.awaitTermination(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("packing strategy " + elsewhere + " broke its contract: placed task t1 on"
            + " agent a9 that has no offer");
  }

  @Test
  void finishBeforeStartTerminatesAtOnce() {
    Framework framework = rig.builder().build();
    TaskId id = framework.submit(TestRig.spec("t1", "cpus:1;mem:128"));

    framework.finish();

    assertThat(framework.isTerminated()).isTrue();
    assertThat(framework.outcome(id)).isCompletedExceptionally();
    assertThatThrownBy(framework::start).isInstanceOf(IllegalStateException.class);
    assertThat(rig.calls()).isEmpty();
    assertThat(Optional.ofNullable(rig.backend.info())).isEmpty();
  }

  @Test
  void closingBeforeSubscribedStoresNoId() {
    FrameworkIdStore store = FrameworkIdStore.inMemory();
    TestRig other = new TestRig(store);
    other.start();

    other.framework.close();
    other.loop.runPending();

    assertThat(store.load()).isEmpty();
    assertThat(other.calls()).containsExactly("subscribe", "close");
  }
}
