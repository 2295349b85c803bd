package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.LeaderElection;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.StateStore;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A framework with a state store: what it writes and when (before each launch, before each
 * acknowledgement), and how the next scheduler recovers every task from it without the
 * application submitting anything again.
 */
class FrameworkRecoveryTest {

  /** One scheduler run: its own backend and loop over a store that outlives it. */
  private static final class Run {
    final ManualScheduler loop = new ManualScheduler();
    final FakeBackend backend = new FakeBackend();
    final List<Task> seen = new ArrayList<>();
    final Framework framework;

    Run(StateStore store) {
      this(store, null);
    }

    Run(StateStore store, LeaderElection election) {
      Framework.Builder b = Framework.builder().name("durable").backend(backend).executor(loop)
          .clock(loop.clock()).random(new Random(7)).stateStore(store).listener(seen::add);
      if (election != null) {
        b.leaderElection(election);
      }
      framework = b.build();
    }

    Run start() {
      framework.start();
      loop.runPending();
      return this;
    }

    void subscribed(String id) {
      backend.subscribed(id);
      loop.runPending();
    }

    Task task(String id) {
      return framework.task(TaskId.of(id)).orElseThrow();
    }

    void offer(String agent, String resources) {
      backend.offer(agent, resources);
      loop.runPending();
    }

    void update(String mesosTaskId, TaskState state) {
      backend.update(mesosTaskId, "a1", state, null, null);
      loop.runPending();
    }

    void answer(String mesosTaskId, TaskState state) {
      backend.reconciliationAnswer(mesosTaskId, "a1", state);
      loop.runPending();
    }
  }

  /** Records, beside the store's changes, how many backend calls were made before each. */
  private static final class RecordingStore implements StateStore {
    final StateStore inner = StateStore.inMemory();
    final List<String> log = new ArrayList<>();
    FakeBackend backend;

    @Override
    public void open() {
      inner.open();
    }

    @Override
    public Map<String, byte[]> load() {
      return inner.load();
    }

    @Override
    public void apply(Map<String, byte[]> puts, Set<String> deletes) {
      inner.apply(puts, deletes);
      log.add("store " + puts.keySet().stream().sorted().toList() + " after "
          + (backend == null ? 0 : backend.calls().size()) + " calls");
    }

    @Override
    public void clear() {
      inner.clear();
      log.add("clear");
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private static TaskSpec spec(String id) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:1;mem:128").command("sleep 1")
        .build();
  }

  /** A first scheduler run on {@code store} that submitted t1 and launched it as t1.1 on a1. */
  private static Run launchedT1(StateStore store) {
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(spec("t1"));
    first.loop.runPending();
    first.offer("a1", "cpus:1;mem:128");
    return first;
  }

  @Test
  void aRestartedSchedulerRecoversEveryTaskWithoutASubmission() {
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(spec("runs"));
    first.framework.submit(spec("ends"));
    first.framework.submit(spec("waits"));
    first.loop.runPending();
    first.backend.offer("a1", "cpus:2;mem:256");
    first.loop.runPending();
    first.update("runs.1", TaskState.RUNNING);
    first.update("ends.1", TaskState.FINISHED);
    first.framework.close();

    Run second = new Run(store).start();
    assertThat(second.backend.info().id()).contains("fw-1");
    assertThat(second.framework.tasks()).extracting(t -> t.id().value() + " " + t.state()
        + (t.done() ? " done" : "")).containsExactly("runs PENDING", "ends FINISHED done",
            "waits PENDING");
    assertThat(second.framework.outcome(TaskId.of("ends")).join().state())
        .isEqualTo(TaskState.FINISHED);
    assertThat(second.seen).isEmpty(); // recovered tasks are not announced
    second.subscribed("fw-1");
    // Held until the master answers: only the task that may run is asked about.
    assertThat(second.backend.reconciles()).contains(
        List.of(new ReconcileTask("runs.1", Optional.of("a1"))));
    second.answer("runs.1", TaskState.RUNNING);
    assertThat(second.task("runs").state()).isEqualTo(TaskState.RUNNING);
    second.offer("a2", "cpus:1;mem:128");
    assertThat(second.backend.launches()).extracting(l -> l.mesosTaskId())
        .containsExactly("waits.1");
    assertThat(second.task("waits").state()).isEqualTo(TaskState.STAGING);
  }

  @Test
  void submittingARecoveredTaskAgainReturnsItInsteadOfASecondOne() {
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(spec("t1"));
    first.loop.runPending();
    first.framework.close();

    Run second = new Run(store).start();
    assertThat(second.framework.submit(spec("t1"))).isEqualTo(TaskId.of("t1"));
    second.loop.runPending();
    assertThat(second.framework.tasks()).hasSize(1);
    assertThatThrownBy(() -> second.framework.submit(spec("t1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must be unique but 't1' was already submitted"); // claimed once
  }

  @Test
  void aRecoveredTaskSubmittedAgainWithAnotherSpecIsLaunchedWithTheNewOne() {
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(spec("t1")); // sleep 1, e.g. from an artifact server gone since
    first.loop.runPending();
    first.framework.close();

    Run second = new Run(store).start();
    TaskSpec anew = spec("t1").toBuilder().command("sleep 2").build();
    assertThat(second.framework.submit(anew)).isEqualTo(TaskId.of("t1"));
    second.subscribed("fw-1");
    second.offer("a1", "cpus:1;mem:128");
    assertThat(second.backend.launches()).extracting(l -> l.mesosTaskId() + " "
        + l.spec().command().orElseThrow().value()).containsExactly("t1.1 sleep 2");

    Run third = new Run(store).start(); // the new spec was stored too
    third.subscribed("fw-1");
    third.answer("t1.1", TaskState.UNKNOWN);
    third.offer("a1", "cpus:1;mem:128");
    assertThat(third.backend.launches()).extracting(l -> l.spec().command().orElseThrow().value())
        .containsExactly("sleep 2");
  }

  @Test
  void tasksWithDerivedIdsSubmittedAgainAreTheRecoveredOnesInOrder() {
    TaskSpec job = TaskSpec.builder().name("job").resources("cpus:1;mem:128").command("sleep 1")
        .build();
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    assertThat(List.of(first.framework.submit(job), first.framework.submit(job)))
        .containsExactly(TaskId.of("job-1"), TaskId.of("job-2"));
    first.loop.runPending();
    first.framework.close();

    Run second = new Run(store).start();
    assertThat(List.of(second.framework.submit(job), second.framework.submit(job),
        second.framework.submit(job)))
        .containsExactly(TaskId.of("job-1"), TaskId.of("job-2"), TaskId.of("job-3"));
    second.loop.runPending();
    assertThat(second.framework.tasks()).extracting(t -> t.id().value())
        .containsExactly("job-1", "job-2", "job-3");
  }

  @Test
  void aLaunchIsStoredBeforeItGoesOutAndAnUpdateBeforeItIsAcknowledged() {
    RecordingStore store = new RecordingStore();
    Run run = new Run(store);
    store.backend = run.backend;
    run.start();
    run.subscribed("fw-1");
    run.framework.submit(spec("t1"));
    run.loop.runPending();
    int callsBeforeOffer = run.backend.calls().size();
    run.offer("a1", "cpus:1;mem:128");
    int acceptAt = run.backend.calls().indexOf(run.backend.calls().stream()
        .filter(c -> c.startsWith("accept")).findFirst().orElseThrow());
    run.update("t1.1", TaskState.RUNNING);
    run.update("t1.1", TaskState.FINISHED);
    int ackAt = run.backend.calls().lastIndexOf("ack t1.1");

    assertThat(store.log).containsExactly(
        "store [framework-id] after 1 calls",
        "store [spec:t1, state:t1] after " + callsBeforeOffer + " calls",
        "store [state:t1] after " + acceptAt + " calls", // launched, before the ACCEPT
        "store [state:t1] after " + ackAt + " calls"); // FINISHED, before its acknowledgement
  }

  @Test
  void aTaskWhoseLaunchTheMasterNeverSawIsLaunchedAgainUnderTheSameMesosId() {
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(spec("t1"));
    first.loop.runPending();
    first.offer("a1", "cpus:1;mem:128"); // stored as launched; the master never answers
    first.framework.close();

    Run second = new Run(store).start();
    second.subscribed("fw-1");
    second.answer("t1.1", TaskState.UNKNOWN);
    second.offer("a1", "cpus:1;mem:128");
    assertThat(second.backend.launches()).extracting(l -> l.mesosTaskId())
        .containsExactly("t1.1");
  }

  @Test
  void aTaskThatFinishedWhileNoSchedulerRanGetsThatOutcome() {
    StateStore store = StateStore.inMemory();
    Run first = launchedT1(store);
    first.framework.close();

    Run second = new Run(store).start();
    second.subscribed("fw-1");
    second.update("t1.1", TaskState.FINISHED);
    assertThat(second.framework.outcome(TaskId.of("t1")).join().state())
        .isEqualTo(TaskState.FINISHED);
    assertThat(second.backend.launches()).isEmpty();
  }

  @Test
  void aKillNotConfirmedBeforeARestartIsSentAgainOnceTheMasterSaysTheTaskRuns() {
    StateStore store = StateStore.inMemory();
    Run first = launchedT1(store);
    first.update("t1.1", TaskState.RUNNING);
    first.framework.kill(TaskId.of("t1"), Duration.ofSeconds(3));
    first.loop.runPending();
    first.framework.close(); // before Mesos confirmed the kill

    Run second = new Run(store).start();
    second.subscribed("fw-1");
    second.backend.clearCalls();
    second.answer("t1.1", TaskState.RUNNING);
    assertThat(second.backend.calls()).containsExactly("kill t1.1 grace=PT3S");
    second.update("t1.1", TaskState.KILLED);
    assertThat(second.framework.outcome(TaskId.of("t1")).join().state())
        .isEqualTo(TaskState.KILLED);
  }

  @Test
  void aRecoveredTaskKilledWhileTheMasterIsAskedEndsWithoutALaunchWhenItNeverRan() {
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(spec("t1"));
    first.loop.runPending();
    first.offer("a1", "cpus:1;mem:128"); // stored as launched; the master never saw it
    first.framework.close();

    Run second = new Run(store).start();
    second.subscribed("fw-1");
    second.framework.kill(TaskId.of("t1"));
    second.loop.runPending();
    assertThat(second.framework.outcome(TaskId.of("t1"))).isNotDone(); // it may run
    second.answer("t1.1", TaskState.UNKNOWN);
    Task outcome = second.framework.outcome(TaskId.of("t1")).join();
    assertThat(outcome.state()).isEqualTo(TaskState.KILLED);
    assertThat(outcome.message())
        .contains("killed on request; the master says the attempt never ran");
    second.offer("a1", "cpus:1;mem:128");
    assertThat(second.backend.launches()).isEmpty();
  }

  @Test
  void anIdKeptAloneByAnEarlierRunIsTakenOverAndItsTasksAreHeldUntilReconciled() {
    dev.mesoskit.core.spi.FrameworkIdStore legacy =
        dev.mesoskit.core.spi.FrameworkIdStore.inMemory();
    legacy.save("fw-old");
    StateStore store = StateStore.inMemory();
    ManualScheduler loop = new ManualScheduler();
    FakeBackend backend = new FakeBackend();
    Framework framework = Framework.builder().name("durable").backend(backend).executor(loop)
        .clock(loop.clock()).stateStore(store).frameworkIdStore(legacy).build();
    framework.start();
    loop.runPending();
    assertThat(backend.info().id()).contains("fw-old");
    framework.submit(spec("t1"));
    loop.runPending();
    backend.subscribed("fw-old");
    loop.runPending();
    assertThat(backend.reconciles()).contains(List.of(new ReconcileTask("t1.1", Optional.empty())));
    assertThat(new String(store.load().get("framework-id"), StandardCharsets.UTF_8))
        .isEqualTo("fw-old");
    assertThat(legacy.load()).isEmpty(); // the state store has it now
    framework.close();
  }

  @Test
  void aTaskSubmittedBeforeStartOnAFileStoreIsWrittenOnceTheStoreIsTaken(@TempDir Path dir) {
    try (Framework framework = Framework.builder().name("early").backend(new FakeBackend())
        .stateStore(StateStore.file(dir)).build()) {
      framework.submit(spec("t1"));
      framework.start();
      assertThat(framework.awaitLeadership(Duration.ofSeconds(10))).isTrue();
      framework.close();
      assertThat(framework.awaitTermination(Duration.ofSeconds(10))).isTrue(); // did not fail
    }
    StateStore reopened = StateStore.file(dir);
    reopened.open();
    assertThat(reopened.load().keySet()).containsExactlyInAnyOrder("spec:t1", "state:t1");
    reopened.close();
  }

  @Test
  void aKillOfAPendingTaskIsDurableBeforeItsOutcomeIsHeard() {
    RecordingStore store = new RecordingStore();
    Run run = new Run(store);
    store.backend = run.backend;
    run.start();
    run.subscribed("fw-1");
    run.framework.submit(spec("t1"));
    run.loop.runPending();
    List<String> heard = new ArrayList<>();
    run.framework.outcome(TaskId.of("t1")).thenAccept(t -> heard.add(store.log.size() + " writes"));
    run.framework.kill(TaskId.of("t1"));
    run.loop.runPending();
    assertThat(heard).containsExactly("3 writes"); // id, submission, then the KILLED outcome
  }

  private static final PodSpec POD = PodSpec.builder("p")
      .task(TaskSpec.builder().name("web").resources("cpus:0.3;mem:128").command("serve").build())
      .task(TaskSpec.builder().name("side").resources("cpus:0.6;mem:64").command("tail").build())
      .executorResources(ResourceSpec.parse("cpus:0.1;mem:32;disk:10")).build();

  /** A first run that launches {@link #POD}, sees it run and closes. */
  private static StateStore podLaunchedThenClosed() {
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(POD);
    first.loop.runPending();
    first.offer("a1", "cpus:1;mem:224;disk:10");
    assertThat(first.backend.groupLaunches()).hasSize(1);
    first.update("p.web.1", TaskState.RUNNING);
    first.update("p.side.1", TaskState.RUNNING);
    first.framework.close();
    return store;
  }

  @Test
  void aRecoveredPodThatRunsIsAdoptedWholeAndSubmittingItAgainReturnsItsTasks() {
    Run second = new Run(podLaunchedThenClosed()).start();
    assertThat(second.framework.submit(POD))
        .containsExactly(TaskId.of("p.web"), TaskId.of("p.side"));
    second.subscribed("fw-1");
    second.answer("p.web.1", TaskState.RUNNING);
    second.answer("p.side.1", TaskState.RUNNING);
    assertThat(second.framework.tasks()).extracting(t -> t.id() + " " + t.state())
        .containsExactly("p.web RUNNING", "p.side RUNNING");
    second.offer("a2", "cpus:1;mem:224;disk:10");
    assertThat(second.backend.groupLaunches()).isEmpty();
  }

  @Test
  void aRecoveredPodKilledWhileTheMasterIsAskedEndsKilledWithoutALaunchWhenItDoesNotRun() {
    Run second = new Run(podLaunchedThenClosed()).start();
    second.subscribed("fw-1");
    second.framework.kill(TaskId.of("p.web"));
    second.loop.runPending();
    assertThat(second.framework.outcome(TaskId.of("p.web"))).isNotDone(); // it may run
    second.answer("p.web.1", TaskState.UNKNOWN);
    second.answer("p.side.1", TaskState.UNKNOWN);
    assertThat(second.framework.tasks()).extracting(t -> t.id() + " " + t.state() + " " + t.done())
        .containsExactly("p.web KILLED true", "p.side KILLED true");
    second.offer("a2", "cpus:1;mem:224;disk:10");
    assertThat(second.backend.groupLaunches()).isEmpty();
  }

  @Test
  void aRecoveredPodKilledWhileTheMasterIsAskedIsKilledOnceItSaysItRuns() {
    Run second = new Run(podLaunchedThenClosed()).start();
    second.subscribed("fw-1");
    second.framework.kill(TaskId.of("p.web"));
    second.loop.runPending();
    second.backend.clearCalls();
    second.answer("p.web.1", TaskState.RUNNING);
    second.answer("p.side.1", TaskState.RUNNING);
    assertThat(second.backend.calls()).contains("kill p.web.1", "kill p.side.1");
  }

  @Test
  void aTaskSubmittedBeforeStartOverAStoredFinishedTaskLeavesItFinishedInTheStore() {
    StateStore store = StateStore.inMemory();
    Run first = launchedT1(store);
    first.update("t1.1", TaskState.FINISHED);
    first.framework.close();

    Run second = new Run(store);
    second.framework.submit(spec("t1")); // before start: the store is not taken yet
    second.loop.runPending();
    second.start();
    assertThat(second.framework.outcome(TaskId.of("t1")).join().state())
        .isEqualTo(TaskState.FINISHED);
    second.framework.close();

    Run third = new Run(store).start();
    third.subscribed("fw-1");
    third.offer("a1", "cpus:1;mem:128");
    assertThat(third.task("t1").state()).isEqualTo(TaskState.FINISHED);
    assertThat(third.backend.launches()).isEmpty();
  }

  @Test
  void aTaskSubmittedBeforeStartOverAStoredRunningTaskIsAdoptedAndNeverTimesOutAsUnplaced() {
    StateStore store = StateStore.inMemory();
    Run first = launchedT1(store);
    first.update("t1.1", TaskState.RUNNING);
    first.framework.close();

    ManualScheduler loop = new ManualScheduler();
    FakeBackend backend = new FakeBackend();
    Framework second = Framework.builder().name("durable").backend(backend).executor(loop)
        .clock(loop.clock()).stateStore(store).placementTimeout(Duration.ofMinutes(1)).build();
    second.submit(spec("t1"));
    loop.runPending();
    second.start();
    loop.runPending();
    backend.subscribed("fw-1");
    loop.runPending();
    backend.reconciliationAnswer("t1.1", "a1", TaskState.RUNNING);
    loop.runPending();
    loop.advance(Duration.ofMinutes(2));
    assertThat(second.task(TaskId.of("t1")).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(second.outcome(TaskId.of("t1"))).isNotDone();
    assertThat(backend.launches()).isEmpty();
    second.close();
  }

  @Test
  void finishingTearsDownAndEmptiesTheStore() {
    StateStore store = StateStore.inMemory();
    Run run = new Run(store).start();
    run.subscribed("fw-1");
    run.framework.submit(spec("t1"));
    run.loop.runPending();
    run.offer("a1", "cpus:1;mem:128");
    run.update("t1.1", TaskState.FINISHED);
    run.framework.finish();
    run.loop.runPending();
    assertThat(run.backend.tornDown()).isTrue();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void aSecondInstanceOnTheSameFileStoreIsRefusedAtStart(@TempDir Path dir) {
    Run first = new Run(StateStore.file(dir)).start();
    Run second = new Run(StateStore.file(dir));
    assertThatThrownBy(second.framework::start).isInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("another scheduler instance uses this state store; run one"
            + " instance, or give every instance a leader election"
            + " (Framework.Builder.leaderElection) to run standbys: dir=" + dir);
    assertThat(second.framework.isTerminated()).isTrue();
    assertThat(second.backend.calls()).containsExactly("close"); // never subscribed
    first.framework.close();
  }

  /** An election the test decides. */
  private static final class ManualElection implements LeaderElection {
    Listener listener;
    boolean closed;

    @Override
    public void start(Listener l) {
      this.listener = l;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void aStandbySubscribesOnlyOnceElectedAndRefusesTasksUntilThen() {
    StateStore store = StateStore.inMemory();
    Run first = new Run(store).start();
    first.subscribed("fw-1");
    first.framework.submit(spec("t1"));
    first.loop.runPending();
    first.framework.close();

    ManualElection election = new ManualElection();
    Run standby = new Run(store, election).start();
    assertThat(standby.backend.calls()).isEmpty();
    assertThatThrownBy(() -> standby.framework.submit(spec("t2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot submit to framework durable: it stands by until elected; call"
            + " awaitLeadership() first (the leader's tasks are recovered then, and submitting"
            + " one of them again gets the recovered task)");
    assertThat(standby.framework.leading()).isFalse();

    election.listener.elected();
    standby.loop.runPending();
    assertThat(standby.framework.leading()).isTrue();
    assertThat(standby.backend.calls()).first().isEqualTo("subscribe fw-1");
    assertThat(standby.backend.info().id()).contains("fw-1");
    assertThat(standby.framework.tasks()).extracting(t -> t.id().value()).containsExactly("t1");
  }

  @Test
  void anInstanceThatLosesItsLeadershipStopsTalkingToTheMasterAtOnce() {
    StateStore store = StateStore.inMemory();
    ManualElection election = new ManualElection();
    Run leader = new Run(store, election).start();
    election.listener.elected();
    leader.loop.runPending();
    leader.subscribed("fw-1");
    leader.framework.submit(spec("t1"));
    leader.loop.runPending();

    election.listener.lost("ZooKeeper connection SUSPENDED");
    assertThat(leader.backend.closed()).isTrue(); // before the event loop ran anything
    leader.backend.offer("a1", "cpus:1;mem:128");
    leader.loop.runPending();
    assertThat(leader.backend.launches()).isEmpty();
    assertThat(leader.framework.isTerminated()).isTrue();
    assertThatThrownBy(() -> leader.framework.awaitTermination(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("framework durable lost its leadership: ZooKeeper connection SUSPENDED;"
            + " this instance stops (a standby takes over)");
    assertThat(election.closed).isTrue();
    assertThat(new String(store.load().get("framework-id"), StandardCharsets.UTF_8))
        .isEqualTo("fw-1");
  }

  @Test
  void aLeaderElectionNeedsASharedStateStore() {
    assertThatThrownBy(() -> Framework.builder().name("x").backend(new FakeBackend())
        .frameworkIdStore(dev.mesoskit.core.spi.FrameworkIdStore.inMemory())
        .leaderElection(new ManualElection()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaderElection needs a stateStore that every instance shares (e.g."
            + " ZooKeeperHa.stateStore()), but only a frameworkIdStore was set");
  }
}
