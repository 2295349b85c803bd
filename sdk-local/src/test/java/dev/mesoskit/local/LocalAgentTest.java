package dev.mesoskit.local;

import static dev.mesoskit.local.TestAgents.FRAMEWORK_ID;
import static dev.mesoskit.local.TestAgents.awaitStarted;
import static dev.mesoskit.local.TestAgents.commandTask;
import static dev.mesoskit.local.TestAgents.config;
import static dev.mesoskit.local.TestAgents.executor;
import static dev.mesoskit.local.TestAgents.executorId;
import static dev.mesoskit.local.TestAgents.executorTask;
import static dev.mesoskit.local.TestAgents.framework;
import static dev.mesoskit.local.TestAgents.sleepingExecutor;
import static dev.mesoskit.local.TestAgents.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.Protos.TaskStatus.Source;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalAgentTest {
  @TempDir
  Path workDir;

  private final RecordingAgentListener master = new RecordingAgentListener();
  private LocalAgent agent;

  @AfterEach
  void closeAgent() {
    if (agent != null) {
      agent.close();
    }
  }

  private LocalAgent start(AgentConfig config) {
    agent = LocalAgent.start(config, master);
    return agent;
  }

  /** The next update, acknowledged like a scheduler would. */
  private TaskStatus nextAcknowledged() {
    TaskStatus status = master.nextUpdate();
    agent.acknowledge(FRAMEWORK_ID, status.getTaskId(), status.getUuid());
    return status;
  }

  @Test
  void commandTaskReportsStartingRunningFinishedOneUpdateAtATime() throws Exception {
    start(config(workDir));
    agent.launch(framework(), commandTask("t1", "exit 0"));

    TaskStatus starting = master.nextUpdate();
    assertThat(starting.getState()).isEqualTo(TaskState.TASK_STARTING);
    master.assertNoUpdateWithin(Duration.ofMillis(300));
    agent.acknowledge(FRAMEWORK_ID, starting.getTaskId(), starting.getUuid());

    TaskStatus running = master.nextUpdate();
    assertThat(running.getState()).isEqualTo(TaskState.TASK_RUNNING);
    master.assertNoUpdateWithin(Duration.ofMillis(300));
    agent.acknowledge(FRAMEWORK_ID, running.getTaskId(), running.getUuid());

    TaskStatus finished = nextAcknowledged();
    assertThat(finished.getState()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(finished.getMessage()).isEqualTo("Command exited with status 0");
    for (TaskStatus status : List.of(starting, running, finished)) {
      assertThat(status.getTaskId()).isEqualTo(taskId("t1"));
      assertThat(status.getSource()).isEqualTo(Source.SOURCE_EXECUTOR);
      assertThat(status.getAgentId().getValue()).isEqualTo("agent-1");
      assertThat(status.getExecutorId()).isEqualTo(executorId("t1"));
      assertThat(status.getUuid().size()).isEqualTo(16);
      assertThat(status.getTimestamp()).isGreaterThan(1.5e9);
    }
    assertThat(Set.of(starting.getUuid(), running.getUuid(), finished.getUuid())).hasSize(3);
    master.assertNoUpdateWithin(Duration.ofMillis(200));
    assertThat(agent.latestStatuses()).singleElement()
        .satisfies(status -> assertThat(status.getState()).isEqualTo(TaskState.TASK_FINISHED));
  }

  @Test
  void aFinishedContainersSandboxIsDeletedAfterTheGcDelayAndARunningOnesNever() throws Exception {
    start(TestAgents.withGcDelay(workDir, Duration.ofMillis(100)));
    agent.launch(framework(), commandTask("running", "touch started; exec sleep 60"));
    Path running = TestAgents.awaitFile(workDir, "running", "started");
    agent.launch(framework(), commandTask("done", "echo done"));
    Map<String, TaskState> last = new HashMap<>();
    while (last.get("done") != TaskState.TASK_FINISHED) {
      TaskStatus status = nextAcknowledged();
      last.put(status.getTaskId().getValue(), status.getState());
    }
    Path executors = workDir.resolve("frameworks/framework-1/executors");

    awaitGone(executors.resolve("done"));
    // older than the deleted one, and never collected while its container runs
    assertThat(running.resolve("started")).exists();
    try (var list = Files.list(executors)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("running");
    }

    agent.kill(FRAMEWORK_ID, taskId("running"));
    while (last.get("running") != TaskState.TASK_KILLED) {
      TaskStatus status = nextAcknowledged();
      last.put(status.getTaskId().getValue(), status.getState());
    }
    awaitGone(workDir.resolve("frameworks/framework-1"));
    assertThat(workDir.resolve("frameworks")).isEmptyDirectory();
    assertThat(agent.sandboxCount()).isZero();
  }

  /** Waits until a path is gone: the collector deletes on a thread of its own. */
  private static void awaitGone(Path path) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (Files.exists(path)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " still exists after 15 s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void failingCommandEndsFailedWithItsExitStatus() {
    start(config(workDir));
    agent.launch(framework(), commandTask("t1", "echo oops >&2; exit 3"));

    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_RUNNING);
    TaskStatus failed = nextAcknowledged();
    assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.getMessage()).isEqualTo("Command exited with status 3");
    assertThat(failed.getSource()).isEqualTo(Source.SOURCE_EXECUTOR);
    assertThat(failed.hasReason()).isFalse();
  }

  @Test
  void killedCommandTaskSaysKillingWhenTheFrameworkUnderstandsItThenEndsKilled() throws Exception {
    start(config(workDir));
    agent.launch(framework(Type.TASK_KILLING_STATE), commandTask("t1", "exec sleep 60"));
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_RUNNING);

    agent.kill(FRAMEWORK_ID, taskId("t1"));

    TaskStatus killing = nextAcknowledged();
    assertThat(killing.getState()).isEqualTo(TaskState.TASK_KILLING);
    TaskStatus killed = nextAcknowledged();
    assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Terminated");
    assertThat(killed.getSource()).isEqualTo(Source.SOURCE_EXECUTOR);
  }

  @Test
  void commandTaskThatIgnoresSigtermIsKilledWithSigkillAfterTheGracePeriod() throws Exception {
    start(config(workDir));
    agent.launch(framework(), commandTask("t1",
        "trap '' TERM; touch trapped; while true; do sleep 0.05; done"));
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_RUNNING);
    TestAgents.awaitFile(workDir, "t1", "trapped");

    long start = System.nanoTime();
    agent.kill(FRAMEWORK_ID, taskId("t1"));

    TaskStatus killed = nextAcknowledged();
    assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Killed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("Mesos' default of 3 s")
        .isGreaterThanOrEqualTo(LocalAgent.DEFAULT_KILL_GRACE_PERIOD);
  }

  @Test
  void aKillsOwnKillPolicyOverridesTheTasksAndItsRetriesDoNotDelayTheSigkill() throws Exception {
    start(config(workDir));
    agent.launch(framework(Type.TASK_KILLING_STATE), commandTask("t1",
        "trap '' TERM; touch trapped; while true; do sleep 0.05; done").toBuilder()
        .setKillPolicy(Protos.KillPolicy.newBuilder()
            .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(600_000_000_000L)))
        .build());
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_RUNNING);
    TestAgents.awaitFile(workDir, "t1", "trapped");
    Protos.KillPolicy quick = Protos.KillPolicy.newBuilder()
        .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(300_000_000L)).build();

    long start = System.nanoTime();
    agent.kill(FRAMEWORK_ID, taskId("t1"), quick);
    agent.kill(FRAMEWORK_ID, taskId("t1"));

    TaskStatus killing = nextAcknowledged();
    assertThat(killing.getState()).isEqualTo(TaskState.TASK_KILLING);
    assertThat(killing.getSource()).isEqualTo(Source.SOURCE_EXECUTOR);
    assertThat(killing.hasMessage()).isFalse();
    assertThat(killing.hasReason()).isFalse();
    TaskStatus killed = nextAcknowledged();
    assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Killed");
    assertThat(killed.getSource()).isEqualTo(Source.SOURCE_EXECUTOR);
    assertThat(killed.hasReason()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void killOfAnUnknownTaskDoesNothing() throws Exception {
    start(config(workDir));
    agent.kill(FRAMEWORK_ID, taskId("nobody"));
    master.assertNoUpdateWithin(Duration.ofMillis(200));
  }

  @Test
  void commandTaskRunsInItsSandboxWithTheAgentsEnvironmentAndItsOwn() throws Exception {
    start(config(workDir));
    Protos.CommandInfo env = Protos.CommandInfo.newBuilder()
        .setShell(false).setValue("/usr/bin/env").addArguments("env")
        .setEnvironment(Protos.Environment.newBuilder().addVariables(
            Protos.Environment.Variable.newBuilder().setName("GREETING").setValue("hello")))
        .build();
    agent.launch(framework(), commandTask("t1", env));
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_FINISHED);

    Path sandbox = onlyRun("t1");
    Map<String, String> expected = expectedEnvironment(sandbox, "t1", "500ms");
    expected.put("GREETING", "hello");
    assertThat(readEnvironment(sandbox.resolve("stdout"))).isEqualTo(expected);
  }

  @Test
  void customExecutorStartsWithExactlyTheEnvironmentARealAgentGives() throws Exception {
    start(config(workDir));
    Protos.ExecutorInfo executor = executor("e1", Protos.CommandInfo.newBuilder()
        .setShell(false).setValue("/usr/bin/env").addArguments("env")
        .setEnvironment(Protos.Environment.newBuilder().addVariables(
            Protos.Environment.Variable.newBuilder().setName("PATH").setValue("/bin")))
        .build());
    agent.launch(framework(), executorTask("t1", executor));

    // env prints and exits without subscribing: the executor terminated, its queued task failed
    RecordingAgentListener.Exit exit = master.nextExit();
    assertThat(exit.executorId()).isEqualTo(executorId("e1"));
    assertThat(exit.status()).isEqualTo(OptionalInt.of(0));
    TaskStatus failed = nextAcknowledged();
    assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.getReason()).isEqualTo(Reason.REASON_EXECUTOR_TERMINATED);
    assertThat(failed.getMessage()).isEqualTo("Executor terminated");
    assertThat(failed.getSource()).isEqualTo(Source.SOURCE_AGENT);

    Path sandbox = onlyRun("e1");
    Map<String, String> expected = expectedEnvironment(sandbox, "e1", "500ms");
    expected.put("PATH", "/bin");
    assertThat(withoutToken(readEnvironment(sandbox.resolve("stdout")), sandbox, "e1"))
        .isEqualTo(expected);
  }

  @Test
  void checkpointingFrameworksExecutorIsToldHowToRecover() throws Exception {
    start(config(workDir));
    Protos.ExecutorInfo executor = executor("e1", Protos.CommandInfo.newBuilder()
        .setShell(false).setValue("/usr/bin/env").addArguments("env").build()).toBuilder()
        .setShutdownGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(1_500_000_000L))
        .build();
    agent.launch(framework().toBuilder().setCheckpoint(true).build(),
        executorTask("t1", executor));
    master.nextExit();

    Path sandbox = onlyRun("e1");
    Map<String, String> expected = expectedEnvironment(sandbox, "e1", "1500ms");
    expected.put("MESOS_CHECKPOINT", "1");
    expected.put("MESOS_RECOVERY_TIMEOUT", "15mins");
    expected.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
    assertThat(withoutToken(readEnvironment(sandbox.resolve("stdout")), sandbox, "e1"))
        .isEqualTo(expected);
  }

  @Test
  void tasksQueuedForAnExecutorAreLaunchedAfterItSubscribesAndLaterOnesAtOnce() throws Exception {
    start(config(workDir));
    Protos.ExecutorInfo executor = sleepingExecutor("e1");
    agent.launch(framework(), executorTask("t1", executor));
    agent.launch(framework(), executorTask("t2", executor));
    Path sandbox = awaitStarted(workDir, "e1");

    try (ExecutorClient client = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      assertThat(client.subscribe()).isEqualTo(200);
      Event subscribed = client.nextEvent();
      assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
      assertThat(subscribed.getSubscribed().getExecutorInfo().getExecutorId())
          .isEqualTo(executorId("e1"));
      assertThat(subscribed.getSubscribed().getFrameworkInfo()).isEqualTo(framework());
      assertThat(subscribed.getSubscribed().getAgentInfo().getId().getValue())
          .isEqualTo("agent-1");
      assertThat(subscribed.getSubscribed().getAgentInfo().getHostname()).isEqualTo("127.0.0.1");
      assertThat(subscribed.getSubscribed().getAgentInfo().getPort())
          .isEqualTo(agent.endpoint().getPort());
      assertThat(subscribed.getSubscribed().getContainerId().getValue())
          .isEqualTo(sandbox.getFileName().toString());
      assertThat(launchedTask(client.nextEvent())).isEqualTo(taskId("t1"));
      assertThat(launchedTask(client.nextEvent())).isEqualTo(taskId("t2"));

      agent.launch(framework(), executorTask("t3", executor));
      assertThat(launchedTask(client.nextEvent())).isEqualTo(taskId("t3"));
    }
    assertThat(agent.latestStatuses()).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_STAGING, TaskState.TASK_STAGING, TaskState.TASK_STAGING);
  }

  @Test
  void executorUpdateIsAcknowledgedToTheExecutorAndResentToTheMasterUntilAcknowledged()
      throws Exception {
    start(config(workDir, Duration.ofSeconds(10), Duration.ofMillis(100)));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    try (ExecutorClient client = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      client.subscribe();
      client.nextEvent();
      client.nextEvent();

      Call running = client.update(taskId("t1"), TaskState.TASK_RUNNING);
      Call finished = client.update(taskId("t1"), TaskState.TASK_FINISHED);
      assertThat(client.send(running)).isEqualTo(202);
      assertThat(client.send(finished)).isEqualTo(202);

      Event acknowledged = client.nextEvent();
      assertThat(acknowledged.getType()).isEqualTo(Event.Type.ACKNOWLEDGED);
      assertThat(acknowledged.getAcknowledged().getTaskId()).isEqualTo(taskId("t1"));
      assertThat(acknowledged.getAcknowledged().getUuid())
          .isEqualTo(running.getUpdate().getStatus().getUuid());
      assertThat(client.nextEvent().getAcknowledged().getUuid())
          .isEqualTo(finished.getUpdate().getStatus().getUuid());

      // the oldest unacknowledged update goes out again and again, the next one waits
      TaskStatus first = master.nextUpdate();
      TaskStatus resent = master.nextUpdate();
      TaskStatus resentAgain = master.nextUpdate();
      for (TaskStatus status : List.of(first, resent, resentAgain)) {
        assertThat(status.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(status.getUuid()).isEqualTo(running.getUpdate().getStatus().getUuid());
        assertThat(status.getSource()).isEqualTo(Source.SOURCE_EXECUTOR);
        assertThat(status.getAgentId().getValue()).isEqualTo("agent-1");
        assertThat(status.getExecutorId()).isEqualTo(executorId("e1"));
      }
      agent.acknowledge(FRAMEWORK_ID, taskId("t1"), first.getUuid());
      TaskStatus next;
      do {
        next = master.nextUpdate();
      } while (next.getState() == TaskState.TASK_RUNNING); // a resend already on its way
      assertThat(next.getUuid()).isEqualTo(finished.getUpdate().getStatus().getUuid());
      agent.acknowledge(FRAMEWORK_ID, taskId("t1"), next.getUuid());
      Thread.sleep(150);
      master.updates.clear();
      master.assertNoUpdateWithin(Duration.ofMillis(300));
      assertThat(agent.latestStatuses()).singleElement().satisfies(status ->
          assertThat(status.getState()).isEqualTo(TaskState.TASK_FINISHED));
    }
  }

  @Test
  void executorThatDoesNotSubscribeInTimeIsKilledAndItsTasksFail() {
    start(config(workDir, Duration.ofMillis(300), Duration.ofSeconds(10)));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));

    TaskStatus failed = master.nextUpdate();
    assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.getReason()).isEqualTo(Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
    assertThat(failed.getMessage()).isEqualTo("Executor did not register within 300ms");
    assertThat(failed.getSource()).isEqualTo(Source.SOURCE_AGENT);
    assertThat(failed.getExecutorId()).isEqualTo(executorId("e1"));
    RecordingAgentListener.Exit exit = master.nextExit();
    assertThat(exit.executorId()).isEqualTo(executorId("e1"));
    assertThat(exit.status()).isEqualTo(OptionalInt.of(128 + 9));
  }

  @Test
  void killedExecutorProcessFailsItsLiveTasksAndIsReported() throws Exception {
    start(config(workDir));
    agent.launch(framework(Type.PARTITION_AWARE), executorTask("t1", sleepingExecutor("e1")));
    agent.launch(framework(Type.PARTITION_AWARE), executorTask("t2", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    try (ExecutorClient client = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      client.subscribe();
      client.nextEvent();
      client.send(client.update(taskId("t1"), TaskState.TASK_RUNNING));
      client.send(client.update(taskId("t2"), TaskState.TASK_FINISHED));
      Set<TaskState> reported = Set.of(nextAcknowledged().getState(),
          nextAcknowledged().getState());
      assertThat(reported).containsExactlyInAnyOrder(TaskState.TASK_RUNNING,
          TaskState.TASK_FINISHED);

      agent.killExecutorProcess(FRAMEWORK_ID, executorId("e1"));

      TaskStatus failed = nextAcknowledged();
      assertThat(failed.getTaskId()).isEqualTo(taskId("t1"));
      assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(failed.getReason()).isEqualTo(Reason.REASON_EXECUTOR_TERMINATED);
      assertThat(failed.getMessage()).isEqualTo("Executor terminated");
      assertThat(failed.getSource()).isEqualTo(Source.SOURCE_AGENT);
      assertThat(master.nextExit()).isEqualTo(new RecordingAgentListener.Exit(FRAMEWORK_ID,
          executorId("e1"), OptionalInt.of(128 + 9)));
      client.awaitStreamEnd();
      master.assertNoUpdateWithin(Duration.ofMillis(200));
    }
  }

  @Test
  void killedCommandTaskProcessFailsTheTaskAsAnExecutorCrash() {
    start(config(workDir));
    agent.launch(framework(), commandTask("t1", "exec sleep 60"));
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_RUNNING);

    agent.killExecutorProcess(FRAMEWORK_ID, executorId("t1"));

    TaskStatus failed = nextAcknowledged();
    assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.getReason()).isEqualTo(Reason.REASON_EXECUTOR_TERMINATED);
    assertThat(failed.getSource()).isEqualTo(Source.SOURCE_AGENT);
    assertThat(master.exits).isEmpty();
  }

  @Test
  void taskForATerminatingExecutorIsDroppedForPartitionAwareFrameworksAndLostForOthers()
      throws Exception {
    start(config(workDir));
    Protos.ExecutorInfo aware = sleepingExecutor("e1");
    Protos.ExecutorInfo unaware = sleepingExecutor("e2");
    Protos.FrameworkInfo framework = framework(Type.PARTITION_AWARE);
    agent.launch(framework, executorTask("t1", aware));
    awaitStarted(workDir, "e1");
    agent.shutdownExecutor(FRAMEWORK_ID, executorId("e1"));
    agent.launch(framework, executorTask("t2", aware));

    TaskStatus dropped = master.nextUpdate();
    assertThat(dropped.getTaskId()).isEqualTo(taskId("t2"));
    assertThat(dropped.getState()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(dropped.getReason()).isEqualTo(Reason.REASON_EXECUTOR_TERMINATED);
    assertThat(dropped.getMessage()).isEqualTo("Executor terminating");

    agent.launch(framework(), executorTask("t3", unaware));
    awaitStarted(workDir, "e2");
    agent.shutdownExecutor(FRAMEWORK_ID, executorId("e2"));
    agent.launch(framework(), executorTask("t4", unaware));
    TaskStatus lost = nextAcknowledged();
    while (!lost.getTaskId().equals(taskId("t4"))) {
      lost = nextAcknowledged();
    }
    assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
  }

  @Test
  void aKillOfACustomExecutorsTaskIsAKillEventWithTheKillsPolicy() throws Exception {
    start(config(workDir));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    try (ExecutorClient client = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      client.subscribe();
      client.nextEvent();
      client.nextEvent();
      client.send(client.update(taskId("t1"), TaskState.TASK_RUNNING));
      nextAcknowledged();
      Protos.KillPolicy policy = Protos.KillPolicy.newBuilder()
          .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(250_000_000L)).build();

      agent.kill(FRAMEWORK_ID, taskId("t1"), policy);
      Event event = client.nextEvent();
      while (event.getType() == Event.Type.ACKNOWLEDGED) {
        event = client.nextEvent();
      }

      assertThat(event.getType()).isEqualTo(Event.Type.KILL);
      assertThat(event.getKill()).isEqualTo(Event.Kill.newBuilder().setTaskId(taskId("t1"))
          .setKillPolicy(policy).build());
    }
  }

  @Test
  void shutdownSendsShutdownAndKillsTheExecutorAfterTheGracePeriod() throws Exception {
    start(config(workDir));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    try (ExecutorClient client = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      client.subscribe();
      client.nextEvent();
      client.nextEvent();
      client.send(client.update(taskId("t1"), TaskState.TASK_RUNNING));
      nextAcknowledged();

      long start = System.nanoTime();
      agent.shutdownExecutor(FRAMEWORK_ID, executorId("e1"));
      Event event = client.nextEvent();
      while (event.getType() == Event.Type.ACKNOWLEDGED) {
        event = client.nextEvent();
      }
      assertThat(event.getType()).isEqualTo(Event.Type.SHUTDOWN);

      TaskStatus failed = nextAcknowledged();
      assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(failed.getReason()).isEqualTo(Reason.REASON_EXECUTOR_TERMINATED);
      assertThat(master.nextExit().status()).isEqualTo(OptionalInt.of(128 + 9));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(450));
    }
  }

  @Test
  void killOfATaskNotYetDeliveredEndsItKilledAndShutsDownTheIdleExecutor() throws Exception {
    start(config(workDir));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");

    agent.kill(FRAMEWORK_ID, taskId("t1"));

    TaskStatus killed = nextAcknowledged();
    assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.getReason()).isEqualTo(Reason.REASON_TASK_KILLED_DURING_LAUNCH);
    assertThat(killed.getMessage()).isEqualTo("Killed before delivery to the executor");
    assertThat(killed.getSource()).isEqualTo(Source.SOURCE_AGENT);
    assertThat(master.nextExit().executorId()).isEqualTo(executorId("e1"));
    master.assertNoUpdateWithin(Duration.ofMillis(200));
  }

  @Test
  void killOfADeliveredTaskIsAKillEventForTheExecutor() throws Exception {
    start(config(workDir));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    try (ExecutorClient client = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      client.subscribe();
      client.nextEvent();
      client.nextEvent();

      agent.kill(FRAMEWORK_ID, taskId("t1"));

      Event kill = client.nextEvent();
      assertThat(kill.getType()).isEqualTo(Event.Type.KILL);
      assertThat(kill.getKill().getTaskId()).isEqualTo(taskId("t1"));
    }
  }

  @Test
  void messagesTravelBetweenSchedulerAndExecutor() throws Exception {
    start(config(workDir));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    try (ExecutorClient client = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      client.subscribe();
      client.nextEvent();
      client.nextEvent();

      agent.frameworkMessage(FRAMEWORK_ID, executorId("e1"), ByteString.copyFromUtf8("ping"));
      Event message = client.nextEvent();
      assertThat(message.getType()).isEqualTo(Event.Type.MESSAGE);
      assertThat(message.getMessage().getData().toStringUtf8()).isEqualTo("ping");

      assertThat(client.send(client.message(ByteString.copyFromUtf8("pong")))).isEqualTo(202);
      assertThat(master.nextMessage()).isEqualTo(new RecordingAgentListener.Message(
          FRAMEWORK_ID, executorId("e1"), ByteString.copyFromUtf8("pong")));
    }
  }

  @Test
  void resubscribingExecutorRedeliversItsUnacknowledgedUpdatesAndLosesUnknownStagedTasks()
      throws Exception {
    start(config(workDir));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    agent.launch(framework(), executorTask("t2", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    try (ExecutorClient first = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      first.subscribe();
      first.nextEvent();
      first.nextEvent();
      first.nextEvent();
    }
    try (ExecutorClient again = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      TaskStatus running = again.status(taskId("t1"), TaskState.TASK_RUNNING);
      assertThat(again.subscribe(Call.Subscribe.newBuilder()
          .addUnacknowledgedTasks(executorTask("t1", sleepingExecutor("e1")))
          .addUnacknowledgedUpdates(Call.Update.newBuilder().setStatus(running))
          .build())).isEqualTo(200);

      assertThat(again.nextEvent().getType()).isEqualTo(Event.Type.SUBSCRIBED);
      Event acknowledged = again.nextEvent();
      assertThat(acknowledged.getType()).isEqualTo(Event.Type.ACKNOWLEDGED);
      assertThat(acknowledged.getAcknowledged().getUuid()).isEqualTo(running.getUuid());

      TaskStatus redelivered = nextAcknowledged();
      assertThat(redelivered.getTaskId()).isEqualTo(taskId("t1"));
      assertThat(redelivered.getUuid()).isEqualTo(running.getUuid());
      TaskStatus lost = nextAcknowledged();
      assertThat(lost.getTaskId()).isEqualTo(taskId("t2"));
      assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
      assertThat(lost.getReason()).isEqualTo(Reason.REASON_AGENT_RESTARTED);
      assertThat(lost.getMessage()).isEqualTo("Task launched during agent restart");
    }
  }

  @Test
  void shutdownFrameworkEndsEverythingOfItAndSendsNoMoreUpdates() throws Exception {
    start(config(workDir, Duration.ofSeconds(10), Duration.ofMillis(100)));
    agent.launch(framework(), commandTask("t1", "exec sleep 60"));
    agent.launch(framework(), executorTask("t2", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    master.nextUpdate(); // t1 STARTING, never acknowledged: it is being resent

    agent.shutdownFramework(FRAMEWORK_ID);

    assertThat(master.nextExit().executorId()).isEqualTo(executorId("e1"));
    Thread.sleep(150);
    master.updates.clear();
    master.assertNoUpdateWithin(Duration.ofMillis(400));
    assertThat(agent.latestStatuses()).isEmpty();
  }

  @Test
  void realExecutorProcessFindsTheAgentRunsItsTaskAndExitsOnShutdown() throws Exception {
    start(config(workDir));
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Protos.ExecutorInfo executor = executor("java-executor", Protos.CommandInfo.newBuilder()
        .setShell(false)
        .setValue(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .addAllArguments(List.of("java", "-XX:TieredStopAtLevel=1", "-cp", classpath,
            TestExecutorMain.class.getName()))
        .build());
    agent.launch(framework(), executorTask("t1", executor));

    TaskStatus running = nextAcknowledged();
    assertThat(running.getState()).isEqualTo(TaskState.TASK_RUNNING);
    Path sandbox = onlyRun("java-executor");
    assertThat(running.getMessage()).isEqualTo("from " + sandbox);
    TaskStatus finished = nextAcknowledged();
    assertThat(finished.getState()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(finished.getExecutorId()).isEqualTo(executorId("java-executor"));

    agent.shutdownExecutor(FRAMEWORK_ID, executorId("java-executor"));

    assertThat(master.nextExit()).isEqualTo(new RecordingAgentListener.Exit(FRAMEWORK_ID,
        executorId("java-executor"), OptionalInt.of(0)));
    assertThat(Files.readAllLines(sandbox.resolve("stdout"))).containsExactly(
        "event SUBSCRIBED", "event LAUNCH", "update TASK_RUNNING 202",
        "update TASK_FINISHED 202", "event ACKNOWLEDGED", "event ACKNOWLEDGED", "event SHUTDOWN");
    master.assertNoUpdateWithin(Duration.ofMillis(200));
  }

  @Test
  void closeKillsEveryProcessItStarted() throws Exception {
    Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid)
        .collect(Collectors.toSet());
    start(config(workDir));
    agent.launch(framework(), commandTask("t1", "sleep 60; echo never"));
    agent.launch(framework(), executorTask("t2", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    List<ProcessHandle> started = ProcessHandle.current().descendants()
        .filter(process -> !before.contains(process.pid())).toList();
    assertThat(started).hasSizeGreaterThanOrEqualTo(2);

    agent.close();
    agent.close();

    for (ProcessHandle process : started) {
      process.onExit().get(5, TimeUnit.SECONDS);
      assertThat(process.isAlive()).as("process " + process.pid()).isFalse();
    }
  }

  private static Protos.TaskID launchedTask(Event event) {
    assertThat(event.getType()).isEqualTo(Event.Type.LAUNCH);
    return event.getLaunch().getTask().getTaskId();
  }

  private Path onlyRun(String executor) throws Exception {
    Path runs = workDir.resolve("frameworks/framework-1/executors").resolve(executor)
        .resolve("runs");
    try (var list = Files.list(runs)) {
      return list.collect(Collectors.toList()).get(0);
    }
  }

  private Map<String, String> expectedEnvironment(Path sandbox, String executor, String grace) {
    Map<String, String> expected = new HashMap<>();
    if (System.getenv("LIBPROCESS_IP") != null) {
      expected.put("LIBPROCESS_IP", System.getenv("LIBPROCESS_IP"));
    }
    expected.put("LIBPROCESS_PORT", "0");
    expected.put("MESOS_FRAMEWORK_ID", "framework-1");
    expected.put("MESOS_EXECUTOR_ID", executor);
    expected.put("MESOS_DIRECTORY", sandbox.toString());
    expected.put("MESOS_SANDBOX", sandbox.toString());
    expected.put("MESOS_SLAVE_ID", "agent-1");
    expected.put("MESOS_AGENT_ENDPOINT", "127.0.0.1:" + agent.endpoint().getPort());
    expected.put("MESOS_CHECKPOINT", "0");
    expected.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
    expected.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", grace);
    expected.put("PATH", LocalAgent.DEFAULT_PATH);
    return expected;
  }

  /**
   * The environment without MESOS_EXECUTOR_AUTHENTICATION_TOKEN, once the token is checked: the
   * agent authenticates it, with exactly this executor's framework, executor and container.
   */
  private Map<String, String> withoutToken(Map<String, String> environment, Path sandbox,
      String executor) {
    String token = environment.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    assertThat(token).as("the executor's token").isNotNull();
    ExecutorTokens.Outcome outcome = agent.authenticateExecutor("Bearer " + token);
    assertThat(outcome.claims()).isEqualTo(Map.of("fid", FRAMEWORK_ID.getValue(),
        "eid", executor, "cid", sandbox.getFileName().toString()));
    return environment;
  }

  private static Map<String, String> readEnvironment(Path file) throws Exception {
    Map<String, String> environment = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int equals = line.indexOf('=');
      environment.put(line.substring(0, equals), line.substring(equals + 1));
    }
    return environment;
  }
}
