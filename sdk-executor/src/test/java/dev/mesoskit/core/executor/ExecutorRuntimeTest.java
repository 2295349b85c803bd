package dev.mesoskit.core.executor;

import static dev.mesoskit.core.TaskState.FAILED;
import static dev.mesoskit.core.TaskState.FINISHED;
import static dev.mesoskit.core.TaskState.KILLED;
import static dev.mesoskit.core.TaskState.KILLING;
import static dev.mesoskit.core.TaskState.RUNNING;
import static dev.mesoskit.core.TaskState.STARTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ExecutorRuntimeTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final FakeExecutorBackend agent = new FakeExecutorBackend();
  private final CountDownLatch release = new CountDownLatch(1);
  private CompletableFuture<Integer> running;

  @TempDir
  Path sandbox;

  private ExecutorRuntime.Builder runtime() {
    return ExecutorRuntime.builder()
        .backend(agent)
        .sandbox(sandbox)
        .killGracePeriod(Duration.ofMillis(300))
        .shutdownGracePeriod(Duration.ofSeconds(2));
  }

  private CompletableFuture<Integer> start(TaskHandler handler) {
    return start(runtime().build(), handler);
  }

  private CompletableFuture<Integer> start(ExecutorRuntime runtime, TaskHandler handler) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(runtime.run(handler));
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "test-executor-main");
    t.setDaemon(true);
    t.start();
    running = f;
    agent.events();
    return f;
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (running != null && !running.isDone()) {
      agent.shutdown();
      running.get(10, TimeUnit.SECONDS);
    }
  }

  private int shutdownAndAwait() throws Exception {
    agent.shutdown();
    return running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Blocks until the test releases it, ignoring interrupts: a handler that ignores kills. */
  private void stubbornlyAwaitRelease() {
    while (true) {
      try {
        release.await();
        return;
      } catch (InterruptedException e) {
        // ignored on purpose
      }
    }
  }

  // ---------------------------------------------------------------- outcomes

  @Test
  void aHandlerThatReturnsIsReportedRunningThenFinished() throws Exception {
    start(context -> { });

    agent.launch(FakeExecutorBackend.task("t.1"));

    agent.awaitUpdate("t.1", FINISHED, WAIT);
    assertThat(agent.states("t.1")).containsExactly(RUNNING, FINISHED);
    TaskStatus finished = agent.updates("t.1").get(1);
    assertThat(finished.message()).isEmpty();
    assertThat(finished.reason()).isEmpty();
  }

  @Test
  void updatesComeFromTheExecutorWithItsIdsTheClockAndDistinctVersion4Uuids() throws Exception {
    Instant now = Instant.parse("2024-05-06T07:08:09.5Z");
    start(runtime().clock(Clock.fixed(now, ZoneOffset.UTC)).random(new SplittableRandom(7))
        .build(), context -> { });

    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", FINISHED, WAIT);

    List<TaskStatus> updates = agent.updates("t.1");
    byte[] expected = new byte[16];
    new SplittableRandom(7).nextBytes(expected);
    expected[6] = (byte) ((expected[6] & 0x0f) | 0x40);
    expected[8] = (byte) ((expected[8] & 0x3f) | 0x80);
    assertThat(updates.get(0).uuid()).hasValueSatisfying(u -> assertThat(u).isEqualTo(expected));
    for (TaskStatus u : updates) {
      assertThat(u.source()).contains("SOURCE_EXECUTOR");
      assertThat(u.executorId()).contains(FakeExecutorBackend.EXECUTOR_ID);
      assertThat(u.agentId()).contains(FakeExecutorBackend.AGENT_ID);
      assertThat(u.timestamp()).isEqualTo(now);
      byte[] uuid = u.uuid().orElseThrow();
      assertThat(uuid).hasSize(16);
      assertThat((uuid[6] & 0xf0) >> 4).as("RFC 4122 version").isEqualTo(4);
      assertThat(uuid[8] & 0xc0).as("RFC 4122 variant").isEqualTo(0x80);
    }
    assertThat(updates.get(0).uuid().orElseThrow())
        .isNotEqualTo(updates.get(1).uuid().orElseThrow());
  }

  @Test
  void twoTasksRunConcurrently() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    start(context -> {
      bothRunning.countDown();
      if (!bothRunning.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other task never ran alongside");
      }
    });

    agent.launch(FakeExecutorBackend.task("a.1"));
    agent.launch(FakeExecutorBackend.task("b.1"));

    agent.awaitUpdate("a.1", FINISHED, WAIT);
    agent.awaitUpdate("b.1", FINISHED, WAIT);
    assertThat(agent.states("a.1")).containsExactly(RUNNING, FINISHED);
    assertThat(agent.states("b.1")).containsExactly(RUNNING, FINISHED);
  }

  @Test
  void aHandlerThatThrowsIsReportedFailedWithTheExceptionsTypeAndMessage() throws Exception {
    start(context -> {
      throw new IOException("disk full at /tmp/x");
    });

    agent.launch(FakeExecutorBackend.task("t.1"));

    TaskStatus failed = agent.awaitUpdate("t.1", FAILED, WAIT);
    assertThat(failed.message()).contains("java.io.IOException: disk full at /tmp/x");
    assertThat(failed.reason()).isEmpty();
    assertThat(agent.states("t.1")).containsExactly(RUNNING, FAILED);
  }

  @Test
  void anExceptionWithoutAMessageIsReportedByItsClass() throws Exception {
    start(context -> {
      throw new NullPointerException();
    });

    agent.launch(FakeExecutorBackend.task("t.1"));

    assertThat(agent.awaitUpdate("t.1", FAILED, WAIT).message())
        .contains("java.lang.NullPointerException");
  }

  @Test
  void anExceptionOfTheSdkIsReportedByItsMessageWhichHoldsTheContext() throws Exception {
    start(context -> {
      throw new dev.mesoskit.core.MesosKitException(
          "download of http://127.0.0.1:1/x failed: java.net.ConnectException");
    });

    agent.launch(FakeExecutorBackend.task("t.1"));

    assertThat(agent.awaitUpdate("t.1", FAILED, WAIT).message())
        .contains("download of http://127.0.0.1:1/x failed: java.net.ConnectException");
  }

  @Test
  void aPermanentFailureIsReportedFailedWithReasonTaskInvalid() throws Exception {
    start(context -> {
      throw new PermanentFailure("not an image: cat.txt");
    });

    agent.launch(FakeExecutorBackend.task("t.1"));

    TaskStatus failed = agent.awaitUpdate("t.1", FAILED, WAIT);
    assertThat(failed.message()).contains("not an image: cat.txt");
    assertThat(failed.reason()).contains("REASON_TASK_INVALID");
    assertThat(dev.mesoskit.core.RetryPolicy.defaults().neverRetryReasons())
        .contains(failed.reason().orElseThrow());
  }

  @Test
  void progressIsReportedAsRunningWithTheMessage() throws Exception {
    start(runtime().progressInterval(Duration.ZERO).build(), context -> {
      context.progress("downloading");
      context.progress("inverting");
    });

    agent.launch(FakeExecutorBackend.task("t.1"));

    agent.awaitUpdate("t.1", FINISHED, WAIT);
    assertThat(agent.updates("t.1")).extracting(u -> u.state() + u.message().map(m -> " " + m)
        .orElse("")).containsExactly("RUNNING", "RUNNING downloading", "RUNNING inverting",
            "FINISHED");
  }

  @Test
  void progressSoonerThanTheIntervalWaitsForItAndTheLatestMessageWins() throws Exception {
    CountDownLatch reported = new CountDownLatch(1);
    CountDownLatch mayEnd = new CountDownLatch(1);
    start(context -> { // the default interval, 1 s
      context.progress("downloading");
      context.progress("inverting");
      context.progress("uploading");
      reported.countDown();
      mayEnd.await();
    });

    agent.launch(FakeExecutorBackend.task("t.1"));
    assertThat(reported.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(agent.updates("t.1")).extracting(u -> u.state() + u.message().map(m -> " " + m)
        .orElse("")).containsExactly("RUNNING"); // within 1 s of RUNNING: all three wait
    FakeExecutorBackend.await(() -> agent.updates("t.1").size() == 2, WAIT,
        () -> "no progress after the interval: " + agent.updates("t.1"));
    mayEnd.countDown();

    agent.awaitUpdate("t.1", FINISHED, WAIT);
    assertThat(agent.updates("t.1")).extracting(u -> u.state() + u.message().map(m -> " " + m)
        .orElse("")).containsExactly("RUNNING", "RUNNING uploading", "FINISHED");
  }

  @Test
  void progressStillWaitingWhenTheTaskEndsIsNeverSent() throws Exception {
    start(runtime().progressInterval(Duration.ofMillis(300)).build(),
        context -> context.progress("inverting"));

    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", FINISHED, WAIT);
    Thread.sleep(600); // twice the interval: a timer that was not cancelled would have fired

    assertThat(agent.states("t.1")).containsExactly(RUNNING, FINISHED);
  }

  @Test
  void progressWaitingWhenTheHandlerTurnsReadyIsSupersededByRunning() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    CountDownLatch mayEnd = new CountDownLatch(1);
    start(runtime().progressInterval(Duration.ofMillis(300)).build(), selfReporting(context -> {
      context.progress("binding port"); // within 300 ms of STARTING: waits
      context.ready();
      ready.countDown();
      mayEnd.await();
    }));

    agent.launch(FakeExecutorBackend.task("t.1"));
    assertThat(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    agent.awaitUpdate("t.1", RUNNING, WAIT);
    Thread.sleep(600); // twice the interval: the dropped message would have come by now
    mayEnd.countDown();

    agent.awaitUpdate("t.1", FINISHED, WAIT);
    assertThat(agent.updates("t.1")).extracting(u -> u.state() + u.message().map(m -> " " + m)
        .orElse("")).containsExactly("STARTING", "RUNNING", "FINISHED");
  }

  @Test
  void progressAfterTheTaskEndedIsIgnored() throws Exception {
    AtomicReference<TaskContext> kept = new AtomicReference<>();
    start(kept::set);
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", FINISHED, WAIT);

    kept.get().progress("too late");

    assertThat(agent.states("t.1")).containsExactly(RUNNING, FINISHED);
  }

  // ---------------------------------------------------------------- readiness

  /** A handler that reports its own readiness, running {@code body}. */
  private static TaskHandler selfReporting(TaskHandler body) {
    return new TaskHandler() {
      @Override
      public void run(TaskContext context) throws Exception {
        body.run(context);
      }

      @Override
      public boolean reportsReadiness() {
        return true;
      }
    };
  }

  @Test
  void aHandlerThatReportsReadinessIsStartingUntilItSaysReady() throws Exception {
    CountDownLatch mayBeReady = new CountDownLatch(1);
    CountDownLatch mayEnd = new CountDownLatch(1);
    start(runtime().progressInterval(Duration.ZERO).build(), selfReporting(context -> {
      context.progress("binding port");
      mayBeReady.await();
      context.ready();
      context.ready();
      context.progress("serving");
      mayEnd.await();
    }));

    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", STARTING, WAIT);
    FakeExecutorBackend.await(() -> agent.updates("t.1").size() == 2, WAIT, () -> "no progress update: " + agent.updates("t.1"));
    Thread.sleep(100); // nothing more comes while the handler is not ready
    assertThat(agent.updates("t.1")).extracting(u -> u.state() + u.message().map(m -> " " + m)
        .orElse("")).containsExactly("STARTING", "STARTING binding port");

    mayBeReady.countDown();
    agent.awaitUpdate("t.1", RUNNING, WAIT);
    FakeExecutorBackend.await(() -> agent.updates("t.1").size() == 4, WAIT, () -> "no serving update: " + agent.updates("t.1"));
    mayEnd.countDown();

    agent.awaitUpdate("t.1", FINISHED, WAIT);
    assertThat(agent.updates("t.1")).extracting(u -> u.state() + u.message().map(m -> " " + m)
        .orElse("")).containsExactly("STARTING", "STARTING binding port", "RUNNING",
            "RUNNING serving", "FINISHED");
  }

  @Test
  void aHandlerThatReportsReadinessAndFailsBeforeReadyIsNeverRunning() throws Exception {
    start(selfReporting(context -> {
      throw new java.net.BindException("Address already in use");
    }));

    agent.launch(FakeExecutorBackend.task("t.1"));

    TaskStatus failed = agent.awaitUpdate("t.1", FAILED, WAIT);
    assertThat(failed.message()).contains("java.net.BindException: Address already in use");
    assertThat(agent.states("t.1")).containsExactly(STARTING, FAILED);
  }

  @Test
  void aHandlerThatReportsReadinessKilledWhileReadyIsReportedKilled() throws Exception {
    AtomicReference<Boolean> readyBefore = new AtomicReference<>();
    start(selfReporting(context -> {
      readyBefore.set(context.isReady());
      context.ready();
      context.awaitCancellation();
    }));
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    agent.kill("t.1");

    agent.awaitUpdate("t.1", KILLED, WAIT);
    assertThat(agent.states("t.1")).containsExactly(STARTING, RUNNING, KILLED);
    assertThat(readyBefore.get()).isFalse();
  }

  @Test
  void readyFromAHandlerTheRuntimeAlreadyReportedRunningSendsNothing() throws Exception {
    AtomicReference<Boolean> readyBefore = new AtomicReference<>();
    start(context -> {
      readyBefore.set(context.isReady());
      context.ready();
    });

    agent.launch(FakeExecutorBackend.task("t.1"));

    agent.awaitUpdate("t.1", FINISHED, WAIT);
    assertThat(agent.states("t.1")).containsExactly(RUNNING, FINISHED);
    assertThat(readyBefore.get()).isTrue();
  }

  // ---------------------------------------------------------------- kills

  @Test
  void aKillInterruptsACooperativeHandlerAndReportsKilled() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Boolean> cancelledSeen = new AtomicReference<>();
    start(context -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } finally {
        cancelledSeen.set(context.isCancelled());
      }
    });
    agent.launch(FakeExecutorBackend.task("t.1"));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    agent.kill("t.1");

    TaskStatus killed = agent.awaitUpdate("t.1", KILLED, WAIT);
    assertThat(killed.message()).as("ended by the interrupt, not abandoned").contains("killed");
    assertThat(cancelledSeen.get()).isTrue();
    assertThat(agent.states("t.1")).containsExactly(RUNNING, KILLED);
  }

  @Test
  void aHandlerAwaitingCancellationEndsOnTheKill() throws Exception {
    start(TaskContext::awaitCancellation);
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    agent.kill("t.1");

    agent.awaitUpdate("t.1", KILLED, WAIT);
    assertThat(agent.states("t.1")).containsExactly(RUNNING, KILLED);
  }

  @Test
  void aHandlerIgnoringTheKillIsReportedKilledWhenTheGracePeriodEnds() throws Exception {
    start(context -> stubbornlyAwaitRelease());
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    long before = System.nanoTime();
    agent.kill("t.1");

    TaskStatus killed = agent.awaitUpdate("t.1", KILLED, WAIT);
    Duration took = Duration.ofNanos(System.nanoTime() - before);
    assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    assertThat(killed.message().orElse(""))
        .contains("killed; the task did not stop within its kill grace"
        + " period of 300 ms and was abandoned");

    release.countDown();
    Thread.sleep(50);
    assertThat(agent.states("t.1")).as("exactly one terminal update")
        .containsExactly(RUNNING, KILLED);
  }

  @Test
  void theKillPolicyOfTheTaskAndOfTheKillSetTheGracePeriod() throws Exception {
    start(context -> stubbornlyAwaitRelease());
    agent.launch(FakeExecutorBackend.task("slow.1", "", Map.of(), Resources.empty(),
        Optional.of(Duration.ofSeconds(30))));
    agent.launch(FakeExecutorBackend.task("quick.1", "", Map.of(), Resources.empty(),
        Optional.of(Duration.ofSeconds(30))));
    agent.awaitUpdate("slow.1", RUNNING, WAIT);
    agent.awaitUpdate("quick.1", RUNNING, WAIT);

    agent.events().kill("quick.1", Optional.of(Duration.ofMillis(50)));
    agent.kill("slow.1");

    assertThat(agent.awaitUpdate("quick.1", KILLED, WAIT).message().orElse(""))
        .contains("grace period of 50 ms");
    Thread.sleep(300);
    assertThat(agent.states("slow.1")).as("30 s kill policy").containsExactly(RUNNING);
    agent.events().kill("slow.1", Optional.of(Duration.ofMillis(10)));
    assertThat(agent.awaitUpdate("slow.1", KILLED, WAIT).message().orElse(""))
        .contains("grace period of 10 ms");
  }

  @Test
  void aKillsOwnGracePeriodOverridesTheTasksAndKillingComesFirstForATaskKillingStateFramework()
      throws Exception {
    FakeExecutorBackend killingAgent = new FakeExecutorBackend(Set.of("TASK_KILLING_STATE"));
    CompletableFuture<Integer> run = new CompletableFuture<>();
    ExecutorRuntime rt = runtime().backend(killingAgent).build();
    Thread t = new Thread(() -> {
      try {
        run.complete(rt.run(context -> stubbornlyAwaitRelease()));
      } catch (Throwable e) {
        run.completeExceptionally(e);
      }
    }, "test-executor-main");
    t.setDaemon(true);
    t.start();
    killingAgent.launch(FakeExecutorBackend.task("t.1", "", Map.of(), Resources.empty(),
        Optional.of(Duration.ofSeconds(30))));
    killingAgent.awaitUpdate("t.1", RUNNING, WAIT);

    long killedAt = System.nanoTime();
    killingAgent.events().kill("t.1", Optional.of(Duration.ofMillis(200)));

    TaskStatus killed = killingAgent.awaitUpdate("t.1", KILLED, WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
        .as("not before the kill's grace period").isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(killed.message()).contains("killed; the task did not stop within its kill grace"
        + " period of 200 ms and was abandoned");
    assertThat(killingAgent.states("t.1")).containsExactly(RUNNING, KILLING, KILLED);
    killingAgent.shutdown();
    assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
  }

  @Test
  void aKillOfATaskTheExecutorDoesNotRunIsIgnored() throws Exception {
    start(context -> { });

    agent.kill("nobody.1");

    assertThat(shutdownAndAwait()).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
    assertThat(agent.updates()).isEmpty();
  }

  // ---------------------------------------------------------------- launches refused

  @Test
  void aDuplicateLaunchOfARunningTaskFailsItOnceAndStopsItsHandler() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    List<String> runs = new ArrayList<>();
    start(context -> {
      synchronized (runs) {
        runs.add(context.mesosTaskId());
      }
      try {
        context.awaitCancellation();
      } finally {
        interrupted.countDown();
      }
    });
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    agent.launch(FakeExecutorBackend.task("t.1"));

    TaskStatus failed = agent.awaitUpdate("t.1", FAILED, WAIT);
    assertThat(failed.message().orElse(""))
        .contains("task t.1 was launched again while it was running on"
        + " this executor; the task is failed and its handler stopped");
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);
    assertThat(agent.states("t.1")).containsExactly(RUNNING, FAILED);
    assertThat(runs).containsExactly("t.1");
  }

  @Test
  void aTaskIdThatIsNotAValidMesosKitIdFailsAsInvalid() throws Exception {
    start(context -> { });
    String tooLong = "x".repeat(250);

    agent.launch(FakeExecutorBackend.task(tooLong));

    TaskStatus failed = agent.awaitUpdate(tooLong, FAILED, WAIT);
    assertThat(failed.reason()).contains("REASON_TASK_INVALID");
    assertThat(failed.message().orElse(""))
        .contains("not a valid MesosKit task: task id must be at most 240"
        + " characters but was 250");
    assertThat(agent.states(tooLong)).containsExactly(FAILED);
  }

  // ---------------------------------------------------------------- shutdown and loss

  @Test
  void shutdownKillsEveryTaskAndRunReturnsTheShutdownCode() throws Exception {
    start(context -> {
      if (context.mesosTaskId().startsWith("stubborn")) {
        stubbornlyAwaitRelease();
      } else {
        context.awaitCancellation();
      }
    });
    agent.launch(FakeExecutorBackend.task("polite.1"));
    agent.launch(FakeExecutorBackend.task("stubborn.1"));
    agent.awaitUpdate("polite.1", RUNNING, WAIT);
    agent.awaitUpdate("stubborn.1", RUNNING, WAIT);

    long before = System.nanoTime();
    int code = shutdownAndAwait();

    assertThat(code).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    assertThat(agent.states("polite.1")).containsExactly(RUNNING, KILLED);
    assertThat(agent.states("stubborn.1")).containsExactly(RUNNING, KILLED);
    assertThat(agent.updates("polite.1").get(1).message().orElse(""))
        .contains("killed: the executor shuts down");
    assertThat(agent.closes()).isEqualTo(1);
  }

  @Test
  void shutdownOfAnIdleExecutorReturnsAtOnce() throws Exception {
    start(context -> { });

    assertThat(shutdownAndAwait()).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
    assertThat(agent.closes()).isEqualTo(1);
  }

  @Test
  void shutdownWaitsForTheTerminalUpdatesToBeAcknowledged() throws Exception {
    agent.autoAcknowledge(false);
    start(TaskContext::awaitCancellation);
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    agent.shutdown();
    agent.awaitUpdate("t.1", KILLED, WAIT);
    Thread.sleep(100);
    assertThat(running).as("waiting for the acknowledgement").isNotDone();

    agent.acknowledgeAll();
    assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
  }

  @Test
  void shutdownStopsWaitingForAcknowledgementsAtTheEndOfTheGracePeriod() throws Exception {
    agent.autoAcknowledge(false);
    start(runtime().shutdownGracePeriod(Duration.ofMillis(400)).build(),
        TaskContext::awaitCancellation);
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    long before = System.nanoTime();
    int code = shutdownAndAwait();

    assertThat(code).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .isBetween(Duration.ofMillis(350), Duration.ofSeconds(2));
  }

  @Test
  void aLaunchDuringShutdownFailsWithReasonExecutorTerminated() throws Exception {
    start(context -> stubbornlyAwaitRelease());
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);
    agent.shutdown();

    agent.launch(FakeExecutorBackend.task("late.1"));

    TaskStatus failed = agent.awaitUpdate("late.1", FAILED, WAIT);
    assertThat(failed.reason()).contains("REASON_EXECUTOR_TERMINATED");
    assertThat(failed.message().orElse(""))
        .contains("the executor is shutting down");
    assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
  }

  @Test
  void losingTheAgentCancelsTheTasksAndReturnsTheAgentLostCode() throws Exception {
    CountDownLatch cleanedUp = new CountDownLatch(1);
    start(context -> {
      try {
        context.awaitCancellation();
      } finally {
        cleanedUp.countDown();
      }
    });
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    agent.events().lost("connection refused");

    assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(ExecutorMain.EXIT_AGENT_LOST);
    assertThat(cleanedUp.getCount()).as("the handler ran its cleanup").isZero();
    assertThat(agent.states("t.1")).containsExactly(RUNNING, KILLED);
    assertThat(agent.updates("t.1").get(1).message().orElse(""))
        .isEqualTo("killed: the agent was lost: connection refused");
    assertThat(agent.closes()).isEqualTo(1);
  }

  @Test
  void anErrorFromTheAgentEndsTheExecutorWithTheAgentLostCode() throws Exception {
    start(context -> { });

    agent.events().error("Executor is not subscribed");

    assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(ExecutorMain.EXIT_AGENT_LOST);
  }

  @Test
  void runTwiceIsRefused() throws Exception {
    ExecutorRuntime runtime = runtime().build();
    start(runtime, context -> { });

    assertThatThrownBy(() -> runtime.run(context -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("run was already called on this executor runtime");
  }

  @Test
  void theBuilderNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> ExecutorRuntime.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("backend must be set");
    assertThatThrownBy(() -> ExecutorRuntime.builder().backend(agent)
        .killGracePeriod(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("killGracePeriod must be >= 0 but was PT-1S");
    assertThatThrownBy(() -> ExecutorRuntime.builder().backend(agent)
        .shutdownGracePeriod(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shutdownGracePeriod must be >= 0 but was null");
    assertThatThrownBy(() -> ExecutorRuntime.builder().backend(agent)
        .progressInterval(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("progressInterval must be >= 0 but was PT-0.001S");
    assertThatThrownBy(() -> ExecutorRuntime.builder().backend(agent)
        .progressInterval(Duration.ofDays(200_000)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("progressInterval must be at most PT24H but was PT4800000H");
  }

  // ---------------------------------------------------------------- context

  @Test
  void theContextCarriesTheTaskAsTheSchedulerDescribedIt() throws Exception {
    AtomicReference<TaskContext> seen = new AtomicReference<>();
    start(seen::set);

    agent.launch(FakeExecutorBackend.task("invert-7.2", "cat.png",
        Map.of("mesoskit.env.MODE", "fast", "team", "imaging"),
        Resources.parse("cpus:1;mem:128;ports:[31000-31001,31005-31005]"), Optional.empty()));

    agent.awaitUpdate("invert-7.2", FINISHED, WAIT);
    TaskContext c = seen.get();
    assertThat(c.taskId().value()).isEqualTo("invert-7");
    assertThat(c.attempt()).isEqualTo(2);
    assertThat(c.mesosTaskId()).isEqualTo("invert-7.2");
    assertThat(c.name()).isEqualTo("name-invert-7.2");
    assertThat(c.dataAsString()).isEqualTo("cat.png");
    assertThat(c.env()).containsExactly(Map.entry("MODE", "fast"));
    assertThat(c.labels()).containsExactly(Map.entry("team", "imaging"));
    assertThat(c.ports()).containsExactly(31000, 31001, 31005);
    assertThat(c.port()).isEqualTo(31000);
    assertThat(c.resources().scalar("mem")).isEqualTo(128.0);
    assertThat(c.sandbox()).isEqualTo(sandbox);
    assertThat(c.frameworkId()).isEqualTo(FakeExecutorBackend.FRAMEWORK_ID);
    assertThat(c.executorId()).isEqualTo(FakeExecutorBackend.EXECUTOR_ID);
    assertThat(c.agentId()).isEqualTo(FakeExecutorBackend.AGENT_ID);
    assertThat(c.isCancelled()).isFalse();
  }

  @Test
  void aTaskOfAnotherSchedulerIsAttemptOneOfItsWholeId() throws Exception {
    List<String> seen = new ArrayList<>();
    start(c -> {
      synchronized (seen) {
        seen.add(c.mesosTaskId() + " -> " + c.taskId() + " #" + c.attempt());
      }
    });

    for (String id : List.of("plain", "v1.beta", "job.0", "job.07")) {
      agent.launch(FakeExecutorBackend.task(id));
      agent.awaitUpdate(id, FINISHED, WAIT);
    }

    assertThat(seen).containsExactly("plain -> plain #1", "v1.beta -> v1.beta #1",
        "job.0 -> job.0 #1", "job.07 -> job.07 #1");
  }

  @Test
  void aTaskWithoutPortsSaysSoWhenAskedForOne() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    start(c -> {
      try {
        c.port();
      } catch (IllegalStateException e) {
        thrown.set(e);
      }
    });

    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", FINISHED, WAIT);

    assertThat(thrown.get()).hasMessage("task t.1 holds no port: ask for one with ResourceSpec"
        + " ports in its TaskSpec");
  }

  @Test
  void throwIfCancelledThrowsOnlyAfterAKill() throws Exception {
    AtomicReference<String> before = new AtomicReference<>("not run");
    start(c -> {
      c.throwIfCancelled();
      before.set("passed");
      c.awaitCancellation(Duration.ofSeconds(5));
      Thread.interrupted();
      c.throwIfCancelled();
    });
    agent.launch(FakeExecutorBackend.task("t.1"));
    agent.awaitUpdate("t.1", RUNNING, WAIT);

    agent.kill("t.1");

    agent.awaitUpdate("t.1", KILLED, WAIT);
    assertThat(before.get()).isEqualTo("passed");
    assertThat(agent.states("t.1")).containsExactly(RUNNING, KILLED);
  }
}
