package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calls a {@link FrameworkObserver} receives, in order, for known sequences of events. */
class FrameworkObserverTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final TestRig rig = new TestRig();
  private final Recording observer = new Recording();

  /** Records every call as text; event loop lags apart, as they come with every event. */
  static final class Recording implements FrameworkObserver {
    final List<String> calls = new ArrayList<>();
    final List<Duration> lags = new ArrayList<>();
    Clock clock;

    @Override
    public void attached(String frameworkName, Clock clock) {
      this.clock = clock;
      calls.add("attached " + frameworkName);
    }

    @Override
    public void offersReceived(List<Offer> offers) {
      calls.add("offersReceived " + offers.stream().map(Offer::id).toList());
    }

    @Override
    public void offersUsed(int count) {
      calls.add("offersUsed " + count);
    }

    @Override
    public void offersDeclined(int count) {
      calls.add("offersDeclined " + count);
    }

    @Override
    public void offerRescinded(String offerId) {
      calls.add("offerRescinded " + offerId);
    }

    @Override
    public void packingPass(Duration took, int placed, int pending) {
      calls.add("packingPass " + took + " placed=" + placed + " pending=" + pending);
    }

    @Override
    public void launched(Task task) {
      calls.add("launched " + task.id() + " attempt=" + task.attempt() + " " + task.state());
    }

    @Override
    public void retrying(Task task, Duration backoff) {
      calls.add("retrying " + task.id() + " attempt=" + task.attempt() + " " + task.state()
          + " backoff=" + backoff);
    }

    @Override
    public void attemptEnded(Task task) {
      calls.add("attemptEnded " + task.id() + " attempt=" + task.attempt() + " " + task.state()
          + " " + task.reason().orElse("-"));
    }

    @Override
    public void eventLoopLag(Duration lag) {
      lags.add(lag);
    }

    @Override
    public void heartbeat(Instant at) {
      calls.add("heartbeat " + at);
    }

    @Override
    public void reconnected(int attempt) {
      calls.add("reconnected " + attempt);
    }

    @Override
    public void acknowledgementsOutstanding(int outstanding) {
      calls.add("acknowledgementsOutstanding " + outstanding);
    }
  }

  @Test
  void observerIsAttachedAtBuildWithTheFrameworksNameAndClock() {
    Framework framework = rig.builder().observer(observer).build();

    assertThat(observer.calls).containsExactly("attached test");
    assertThat(observer.clock.instant()).isEqualTo(START);
    framework.close();
  }

  @Test
  void observerSeesOffersPackingLaunchesRetriesEndsAndAcknowledgementsInOrder() {
    RetryPolicy policy = RetryPolicy.defaults();
    Duration backoff = TestRig.backoffs(policy, 1).get(0);
    rig.start(rig.builder().retryPolicy(policy).observer(observer));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");

    rig.offer("a1", "cpus:1;mem:128");
    rig.update("t1.1", "a1", TaskState.FAILED, "REASON_COMMAND_EXECUTOR_FAILED", "boom");
    rig.offer("a1", "cpus:1;mem:128"); // during the backoff: declined
    rig.advance(backoff);
    rig.offer("a1", "cpus:1;mem:128");
    rig.update("t1.2", TaskState.RUNNING);
    rig.update("t1.2", TaskState.FINISHED);
    rig.backend.rescind("o9");
    rig.loop.runPending();

    assertThat(observer.calls).containsExactly(
        "attached test",
        "offersReceived [o1]",
        "launched t1 attempt=1 STAGING",
        "packingPass PT0S placed=1 pending=0",
        "offersUsed 1",
        "acknowledgementsOutstanding 1",
        "attemptEnded t1 attempt=1 FAILED REASON_COMMAND_EXECUTOR_FAILED",
        "retrying t1 attempt=1 FAILED backoff=" + backoff,
        "acknowledgementsOutstanding 0",
        "offersReceived [o2]",
        "offersDeclined 1",
        "offersReceived [o3]",
        "launched t1 attempt=2 STAGING",
        "packingPass PT0S placed=1 pending=0",
        "offersUsed 1",
        "acknowledgementsOutstanding 1",
        "acknowledgementsOutstanding 0",
        "acknowledgementsOutstanding 1",
        "attemptEnded t1 attempt=2 FINISHED -",
        "acknowledgementsOutstanding 0",
        "offerRescinded o9");
    assertThat(observer.lags).isNotEmpty().allMatch(Duration.ZERO::equals);
  }

  @Test
  void packingPassCountsTasksLeftPendingAndOffersUsedAndDeclinedInOneBatch() {
    rig.start(rig.builder().observer(observer));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");
    rig.submit("t3", "cpus:8;mem:128");
    observer.calls.clear();

    rig.offers(rig.backend.newOffer("a1", "cpus:1;mem:128"),
        rig.backend.newOffer("a2", "cpus:1;mem:128"),
        rig.backend.newOffer("a3", "cpus:0.5;mem:64"));

    assertThat(observer.calls).containsExactly(
        "offersReceived [o1, o2, o3]",
        "launched t1 attempt=1 STAGING",
        "launched t2 attempt=1 STAGING",
        "packingPass PT0S placed=2 pending=1",
        "offersUsed 2",
        "offersDeclined 1");
  }

  @Test
  void aPodsTasksEachEndTheirAttemptAndAreRetriedTogether() {
    RetryPolicy policy = RetryPolicy.defaults();
    Duration backoff = TestRig.backoffs(policy, 1).get(0);
    rig.start(rig.builder().retryPolicy(policy).observer(observer));
    rig.subscribed();
    rig.framework.submit(PodSpec.builder("p")
        .task(TaskSpec.builder().name("web").resources("cpus:0.5;mem:64").command("a").build())
        .task(TaskSpec.builder().name("side").resources("cpus:0.5;mem:64").command("b").build())
        .build());
    rig.loop.runPending();
    rig.offer("a1", "cpus:4;mem:1024;disk:1024"); // the pod and its default executor
    rig.update("p.web.1", "a1", TaskState.FAILED, null, "boom");
    rig.update("p.side.1", "a1", TaskState.KILLED, "REASON_TASK_GROUP_KILLED", "killed");

    assertThat(observer.calls).filteredOn(c -> !c.startsWith("acknowledgements"))
        .containsExactly(
            "attached test",
            "offersReceived [o1]",
            "launched p.web attempt=1 STAGING",
            "launched p.side attempt=1 STAGING",
            "packingPass PT0S placed=2 pending=0",
            "offersUsed 1",
            "attemptEnded p.web attempt=1 FAILED -",
            "retrying p.web attempt=1 FAILED backoff=" + backoff,
            "attemptEnded p.side attempt=1 KILLED REASON_TASK_GROUP_KILLED",
            "retrying p.side attempt=1 KILLED backoff=" + backoff);
  }

  @Test
  void eventLoopLagIsTheTimeAnEventWaitedInTheQueue() {
    rig.start(rig.builder().observer(observer));
    rig.subscribed();
    observer.lags.clear();

    rig.backend.heartbeat();
    rig.loop.stall(Duration.ofMillis(250)); // the event thread is busy for 250 ms
    rig.backend.heartbeat();
    rig.loop.runPending();

    assertThat(observer.lags).containsExactly(Duration.ofMillis(250), Duration.ZERO);
    assertThat(observer.calls).endsWith(
        "heartbeat 2026-01-01T00:00:00Z", "heartbeat 2026-01-01T00:00:00.250Z");
  }

  @Test
  void reconnectedNamesTheAttemptThatSucceededAndNotTheFirstSubscription() {
    rig.start(rig.builder().observer(observer));
    rig.backend.events().reconnecting(1, Duration.ofSeconds(1), "connection refused");
    rig.subscribed(); // the first subscription, after a failed attempt: no reconnection
    rig.disconnected();
    rig.backend.events().reconnecting(1, Duration.ofSeconds(1), "connection refused");
    rig.backend.events().reconnecting(2, Duration.ofSeconds(2), "connection refused");
    rig.subscribed();
    rig.disconnected();
    rig.subscribed();

    assertThat(observer.calls).containsExactly("attached test", "reconnected 3", "reconnected 1");
  }

  @Test
  void acknowledgementsOutstandingCountsUpdatesQueuedAndNotYetAcknowledged() {
    rig.start(rig.builder().observer(observer));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    observer.calls.clear();

    rig.backend.update("t1.1", "a1", TaskState.STARTING, null, null);
    rig.backend.update("t1.1", "a1", TaskState.RUNNING, null, null);
    rig.backend.reconciliationAnswer("t1.1", "a1", TaskState.RUNNING); // nothing to acknowledge
    rig.backend.update("t1.1", "a1", TaskState.FINISHED, null, null);
    rig.loop.runPending();

    assertThat(observer.calls).containsExactly(
        "acknowledgementsOutstanding 3",
        "acknowledgementsOutstanding 2",
        "acknowledgementsOutstanding 1",
        "attemptEnded t1 attempt=1 FINISHED -",
        "acknowledgementsOutstanding 0");
    assertThat(rig.calls()).filteredOn(c -> c.startsWith("ack"))
        .containsExactly("ack t1.1", "ack t1.1", "ack t1.1");
  }

  @Test
  void aTaskThatFailsForGoodEndsItsLastAttemptAsItEndedNotAsItsOutcome() {
    rig.start(rig.builder().retryPolicy(RetryPolicy.none()).observer(observer));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    rig.update("t1.1", "a1", TaskState.LOST, "REASON_AGENT_REMOVED", "agent gone");

    assertThat(observer.calls).filteredOn(c -> c.startsWith("attemptEnded"))
        .containsExactly("attemptEnded t1 attempt=1 LOST REASON_AGENT_REMOVED");
    assertThat(rig.task("t1").state()).isEqualTo(TaskState.FAILED);
  }

  @Test
  void aPodThatFailsForGoodEndsEachTasksAttemptAsThatTasksOwnAttemptEnded() {
    rig.start(rig.builder().retryPolicy(RetryPolicy.none()).observer(observer));
    rig.subscribed();
    rig.framework.submit(PodSpec.builder("p")
        .task(TaskSpec.builder().name("web").resources("cpus:0.5;mem:64").command("a").build())
        .task(TaskSpec.builder().name("side").resources("cpus:0.5;mem:64").command("b").build())
        .build());
    rig.loop.runPending();
    rig.offer("a1", "cpus:4;mem:1024;disk:1024");
    rig.update("p.side.1", "a1", TaskState.FINISHED, null, null);
    rig.update("p.web.1", "a1", TaskState.LOST, "REASON_AGENT_REMOVED", "agent gone");

    assertThat(observer.calls).filteredOn(c -> c.startsWith("attemptEnded"))
        .containsExactly(
            "attemptEnded p.web attempt=1 LOST REASON_AGENT_REMOVED",
            "attemptEnded p.side attempt=1 FINISHED -");
    assertThat(rig.task("p.web").state()).isEqualTo(TaskState.FAILED);
    assertThat(rig.task("p.side").state()).isEqualTo(TaskState.FAILED);
  }

  @Test
  void acknowledgementsOutstandingDropsToZeroWhenTheFrameworkStopsWithUpdatesQueued() {
    rig.start(rig.builder().observer(observer).listener(task -> {
      if (task.state() == TaskState.STARTING) {
        rig.framework.close(); // on the event thread, the RUNNING update still queued
      }
    }));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");
    observer.calls.clear();

    rig.backend.update("t1.1", "a1", TaskState.STARTING, null, null);
    rig.backend.update("t1.1", "a1", TaskState.RUNNING, null, null);
    rig.loop.runPending();

    assertThat(rig.framework.isTerminated()).isTrue();
    assertThat(observer.calls).filteredOn(c -> c.startsWith("acknowledgements"))
        .containsExactly(
            "acknowledgementsOutstanding 2",
            "acknowledgementsOutstanding 1",
            "acknowledgementsOutstanding 0");
  }

  @Test
  void anObserverThatThrowsIsIgnoredAndTheNextOneStillCalled() {
    FrameworkObserver throwing = new FrameworkObserver() {
      @Override
      public void offersReceived(List<Offer> offers) {
        throw new IllegalStateException("observer bug");
      }
    };
    rig.start(rig.builder().observer(throwing).observer(observer));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");

    rig.offer("a1", "cpus:1;mem:128");
    rig.offer("a1", "cpus:1;mem:128");

    assertThat(observer.calls).filteredOn(c -> c.startsWith("offersReceived"))
        .containsExactly("offersReceived [o1]", "offersReceived [o2]");
    assertThat(rig.calls()).contains("accept [o1] [t1.1]", "accept [o2] [t2.1]");
    assertThat(rig.framework.isTerminated()).isFalse();
  }
}
