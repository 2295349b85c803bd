package dev.mesoskit.core.executor;

import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.http.HttpExecutorBackend;
import dev.mesoskit.core.http.testing.FakeAgent;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The executor runtime over the real HTTP backend against a fake agent speaking real HTTP. */
@Timeout(120)
class ExecutorOverHttpTest {
  // Generous: every await returns as soon as its condition holds; a loaded machine is slow.
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final FakeAgent agent = FakeAgent.start("fw-1", "exec-1");
  private final CountDownLatch release = new CountDownLatch(1);
  private CompletableFuture<Integer> running;

  @TempDir
  Path sandbox;

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (running != null && !running.isDone()) {
      try {
        agent.shutdown();
      } catch (IllegalStateException e) {
        // no stream open
      }
      running.get(10, TimeUnit.SECONDS);
    }
    agent.close();
  }

  private HttpExecutorBackend.Builder backend() {
    return HttpExecutorBackend.builder()
        .agentEndpoint(agent.endpoint())
        .frameworkId("fw-1")
        .executorId("exec-1")
        .requestTimeout(Duration.ofSeconds(20)) // no test here waits for it
        .subscriptionBackoffMax(Duration.ofMillis(50));
  }

  private void start(HttpExecutorBackend.Builder backend, TaskHandler handler) {
    ExecutorRuntime runtime = ExecutorRuntime.builder()
        .backend(backend.build())
        .sandbox(sandbox)
        .killGracePeriod(Duration.ofMillis(300))
        .shutdownGracePeriod(Duration.ofSeconds(3))
        .progressInterval(Duration.ZERO) // every update on the wire
        .build();
    running = runAsync(() -> runtime.run(handler));
    agent.awaitSubscriptions(1, WAIT);
  }

  private static CompletableFuture<Integer> runAsync(java.util.function.IntSupplier main) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(main.getAsInt());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "test-executor-main");
    t.setDaemon(true);
    t.start();
    return f;
  }

  private void start(TaskHandler handler) {
    start(backend(), handler);
  }

  private int shutdownAndAwait() throws Exception {
    agent.shutdown();
    return running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private List<Protos.TaskState> states(String taskId) {
    return agent.updates(taskId).stream().map(Protos.TaskStatus::getState).toList();
  }

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

  @Test
  void twoTasksRunConcurrentlyAndEachIsReportedRunningThenFinishedWithFreshUuids()
      throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    start(context -> {
      bothRunning.countDown();
      if (!bothRunning.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other task never ran alongside");
      }
    });

    agent.launch(agent.task("a.1", "first"));
    agent.launch(agent.task("b.1", "second"));
    agent.awaitUpdate("a.1", TASK_FINISHED, WAIT);
    agent.awaitUpdate("b.1", TASK_FINISHED, WAIT);

    assertThat(states("a.1")).containsExactly(TASK_RUNNING, TASK_FINISHED);
    assertThat(states("b.1")).containsExactly(TASK_RUNNING, TASK_FINISHED);
    assertThat(agent.updates()).extracting(Protos.TaskStatus::getUuid).doesNotHaveDuplicates()
        .allSatisfy(u -> assertThat(u.size()).isEqualTo(16));
    assertThat(agent.answers()).containsOnly(200, 202);
    long before = System.nanoTime();
    assertThat(shutdownAndAwait()).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .as("every update was acknowledged, nothing to wait for").isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aResultTravelsAsTheDataOfTheFinishedUpdateOnly() {
    start(context -> {
      context.result("sha256 of " + context.dataAsString());
      if (context.dataAsString().equals("bad.png")) {
        throw new IOException("cannot read bad.png");
      }
    });

    agent.launch(agent.task("t.1", "cat.png"));
    agent.launch(agent.task("t.2", "bad.png"));

    Protos.TaskStatus finished = agent.awaitUpdate("t.1", TASK_FINISHED, WAIT);
    assertThat(finished.getData().toStringUtf8()).isEqualTo("sha256 of cat.png");
    Protos.TaskStatus failed = agent.awaitUpdate("t.2", TASK_FAILED, WAIT);
    assertThat(failed.hasData()).as("a failed task's result is dropped").isFalse();
    assertThat(agent.awaitUpdate("t.1", TASK_RUNNING, WAIT).hasData()).isFalse();
  }

  @Test
  void aThrowingHandlerIsReportedFailedWithItsTypeAndMessage() {
    start(context -> {
      throw new IOException("cannot read " + context.dataAsString());
    });

    agent.launch(agent.task("t.1", "cat.png"));

    Protos.TaskStatus failed = agent.awaitUpdate("t.1", TASK_FAILED, WAIT);
    assertThat(failed.getMessage()).isEqualTo("java.io.IOException: cannot read cat.png");
    assertThat(failed.hasReason()).isFalse();
    assertThat(states("t.1")).containsExactly(TASK_RUNNING, TASK_FAILED);
  }

  @Test
  void aPermanentFailureIsReportedFailedWithReasonTaskInvalid() {
    start(context -> {
      throw new PermanentFailure("not an image");
    });

    agent.launch(agent.task("t.1", ""));

    Protos.TaskStatus failed = agent.awaitUpdate("t.1", TASK_FAILED, WAIT);
    assertThat(failed.getMessage()).isEqualTo("not an image");
    assertThat(failed.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
  }

  @Test
  void progressIsReportedAsRunningWithTheMessage() {
    start(context -> context.progress("half way"));

    agent.launch(agent.task("t.1", ""));

    agent.awaitUpdate("t.1", TASK_FINISHED, WAIT);
    assertThat(agent.updates("t.1")).extracting(u -> u.getState() + " " + u.getMessage())
        .containsExactly("TASK_RUNNING ", "TASK_RUNNING half way", "TASK_FINISHED ");
  }

  @Test
  void aKillEndsACooperativeHandlerAndAStubbornOneWithinItsGracePeriod() throws Exception {
    start(context -> {
      if (context.mesosTaskId().startsWith("stubborn")) {
        stubbornlyAwaitRelease();
      } else {
        context.awaitCancellation();
      }
    });
    agent.launch(agent.task("polite.1", ""));
    agent.launch(agent.task("stubborn.1", ""));
    agent.awaitUpdate("polite.1", TASK_RUNNING, WAIT);
    agent.awaitUpdate("stubborn.1", TASK_RUNNING, WAIT);

    agent.kill("polite.1");
    long before = System.nanoTime();
    agent.kill("stubborn.1", Duration.ofMillis(200));

    assertThat(agent.awaitUpdate("polite.1", TASK_KILLED, WAIT).getMessage()).isEqualTo("killed");
    Protos.TaskStatus stubborn = agent.awaitUpdate("stubborn.1", TASK_KILLED, WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
    assertThat(stubborn.getMessage()).isEqualTo("killed; the task did not stop within its kill"
        + " grace period of 200 ms and was abandoned");
    assertThat(states("polite.1")).containsExactly(TASK_RUNNING, TASK_KILLED);
    assertThat(states("stubborn.1")).containsExactly(TASK_RUNNING, TASK_KILLED);
  }

  @Test
  void shutdownKillsEveryTaskAndRunReturns() throws Exception {
    start(TaskContext::awaitCancellation);
    agent.launch(agent.task("a.1", ""));
    agent.launch(agent.task("b.1", ""));
    agent.awaitUpdate("a.1", TASK_RUNNING, WAIT);
    agent.awaitUpdate("b.1", TASK_RUNNING, WAIT);

    assertThat(shutdownAndAwait()).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);

    assertThat(states("a.1")).containsExactly(TASK_RUNNING, TASK_KILLED);
    assertThat(states("b.1")).containsExactly(TASK_RUNNING, TASK_KILLED);
    assertThat(agent.updates("a.1").get(1).getMessage())
        .isEqualTo("killed: the executor shuts down");
  }

  @Test
  void aDroppedConnectionResubscribesWithTheUnacknowledgedTaskAndUpdatesUntilTheLateAck()
      throws Exception {
    agent.autoAcknowledge(false);
    start(backend().checkpoint(true).updateRetryInterval(Duration.ofMillis(100)),
        context -> release.await());
    agent.launch(agent.task("t.1", "work"));
    Protos.TaskStatus runningUpdate = agent.awaitUpdate("t.1", TASK_RUNNING, WAIT);

    agent.dropStream();

    agent.awaitSubscriptions(2, WAIT);
    Call.Subscribe resubscription = agent.calls(Call.Type.SUBSCRIBE).get(1).getSubscribe();
    assertThat(resubscription.getUnacknowledgedTasksList())
        .extracting(t -> t.getTaskId().getValue()).containsExactly("t.1");
    assertThat(resubscription.getUnacknowledgedTasks(0).getData())
        .isEqualTo(ByteString.copyFromUtf8("work"));
    assertThat(resubscription.getUnacknowledgedUpdatesList())
        .extracting(u -> u.getStatus().getUuid()).containsExactly(runningUpdate.getUuid());
    FakeExecutorBackend.await(() -> updateCalls(runningUpdate.getUuid()) >= 2, WAIT,
        () -> "the update was not resent: " + agent.calls(Call.Type.UPDATE).size());

    agent.acknowledge(runningUpdate);
    // Resends (every 100 ms) stop once the executor has the ack: wait for 5 intervals without
    // one, however long the ack takes to arrive on a slow machine, then watch 4 more.
    int resends = awaitQuiet(runningUpdate.getUuid(), Duration.ofMillis(500));
    Thread.sleep(400);
    assertThat(updateCalls(runningUpdate.getUuid())).as("no resend after the late ack")
        .isEqualTo(resends);

    agent.autoAcknowledge(true);
    release.countDown();
    agent.awaitUpdate("t.1", TASK_FINISHED, WAIT);
    assertThat(shutdownAndAwait()).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
  }

  private int awaitQuiet(ByteString uuid, Duration quiet) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      int before = updateCalls(uuid);
      Thread.sleep(quiet.toMillis());
      if (updateCalls(uuid) == before) {
        return before;
      }
      assertThat(System.nanoTime()).as("resends still going after the ack").isLessThan(deadline);
    }
  }

  private int updateCalls(ByteString uuid) {
    return (int) agent.calls(Call.Type.UPDATE).stream()
        .filter(c -> c.getUpdate().getStatus().getUuid().equals(uuid)).count();
  }

  // ---------------------------------------------------------------- ExecutorMain

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("MESOS_FRAMEWORK_ID", "fw-1");
    env.put("MESOS_EXECUTOR_ID", "exec-1");
    env.put("MESOS_AGENT_ENDPOINT", agent.endpoint());
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_DIRECTORY", "/ignored");
    env.put("MESOS_CHECKPOINT", "0");
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "3secs");
    return env;
  }

  private CompletableFuture<Integer> main(Map<String, String> env, TaskHandler handler) {
    running = runAsync(() -> ExecutorMain.run(new String[] {"--unrelated"}, env::get, p -> null,
        handler, ExecutorMain::backend));
    return running;
  }

  @Test
  void executorMainRunsFromTheAgentsEnvironmentWithTheBearerToken() throws Exception {
    agent.requireToken("header.payload.signature");
    Map<String, String> env = environment();
    env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "header.payload.signature");
    Path[] seen = new Path[1];
    main(env, context -> seen[0] = context.sandbox());
    agent.awaitSubscriptions(1, WAIT);

    agent.launch(agent.task("t.1", ""));
    agent.awaitUpdate("t.1", TASK_FINISHED, WAIT);

    assertThat(shutdownAndAwait()).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
    assertThat(seen[0]).isEqualTo(sandbox.toAbsolutePath());
    assertThat(agent.authorizations()).isNotEmpty()
        .containsOnly("Bearer header.payload.signature");
  }

  @Test
  void executorMainEndsWithTheAgentLostCodeWhenTheConnectionBreaksWithoutCheckpointing()
      throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    main(environment(), context -> {
      try {
        context.awaitCancellation();
      } finally {
        cancelled.countDown();
      }
    });
    agent.awaitSubscriptions(1, WAIT);
    agent.launch(agent.task("t.1", ""));
    agent.awaitUpdate("t.1", TASK_RUNNING, WAIT);

    agent.dropStream();

    assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(ExecutorMain.EXIT_AGENT_LOST);
    assertThat(cancelled.await(1, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.subscriptions()).isEqualTo(1);
  }

  @Test
  void executorMainResubscribesWhenTheFrameworkCheckpoints() throws Exception {
    Map<String, String> env = environment();
    env.put("MESOS_CHECKPOINT", "1");
    env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
    env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "20ms");
    main(env, TaskContext::awaitCancellation);
    agent.awaitSubscriptions(1, WAIT);
    agent.launch(agent.task("t.1", ""));
    agent.awaitUpdate("t.1", TASK_RUNNING, WAIT);

    agent.dropStream();
    agent.awaitSubscriptions(2, WAIT);
    agent.kill("t.1");

    agent.awaitUpdate("t.1", TASK_KILLED, WAIT);
    assertThat(running).isNotDone();
    assertThat(shutdownAndAwait()).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
  }
}
