package dev.mesoskit.local;

import static dev.mesoskit.local.TestAgents.FRAMEWORK_ID;
import static dev.mesoskit.local.TestAgents.commandTask;
import static dev.mesoskit.local.TestAgents.config;
import static dev.mesoskit.local.TestAgents.executorId;
import static dev.mesoskit.local.TestAgents.framework;
import static dev.mesoskit.local.TestAgents.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.Protos.TaskStatus.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent starts processes without its lock: what a kill, a shutdown or the agent's close does
 * while a process is being started, held there by a starter that waits for the test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalAgentLaunchRaceTest {
  @TempDir
  Path workDir;

  private final RecordingAgentListener master = new RecordingAgentListener();
  private final CompletableFuture<Process> started = new CompletableFuture<>();
  private final CountDownLatch proceed = new CountDownLatch(1);
  private LocalAgent agent;

  @BeforeEach
  void startAgent() {
    agent = LocalAgent.start(config(workDir), master);
    agent.containerizer.starter(builder -> {
      Process process = builder.start();
      started.complete(process);
      try {
        proceed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return process;
    });
  }

  @AfterEach
  void closeAgent() {
    proceed.countDown();
    agent.close();
  }

  /** Launches a long command task and waits until its process exists, not yet known. */
  private Process launchAndHoldTheStart() throws Exception {
    agent.launch(framework(), commandTask("t1", "sleep 60; echo never"));
    return started.get(15, TimeUnit.SECONDS);
  }

  private TaskStatus nextAcknowledged() {
    TaskStatus status = master.nextUpdate();
    agent.acknowledge(FRAMEWORK_ID, status.getTaskId(), status.getUuid());
    return status;
  }

  @Test
  void aProcessStartsWithoutTheAgentsLock() throws Exception {
    launchAndHoldTheStart();

    // the launcher thread holds a started process; the agent answers meanwhile
    assertThat(agent.latestStatuses()).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_STAGING);
    proceed.countDown();

    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(nextAcknowledged().getState()).isEqualTo(TaskState.TASK_RUNNING);
  }

  @Test
  void aKillWhileTheProcessStartsEndsTheTaskKilledDuringLaunchAndKillsTheProcess()
      throws Exception {
    Process process = launchAndHoldTheStart();

    agent.kill(FRAMEWORK_ID, taskId("t1"));
    TaskStatus killed = nextAcknowledged();
    proceed.countDown();

    assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.getReason()).isEqualTo(Reason.REASON_TASK_KILLED_DURING_LAUNCH);
    assertThat(killed.getMessage()).isEqualTo("Killed before delivery to the executor");
    assertThat(killed.getSource()).isEqualTo(Source.SOURCE_AGENT);
    assertThat(process.onExit().get(15, TimeUnit.SECONDS).exitValue()).isEqualTo(128 + 9);
    master.assertNoUpdateWithin(Duration.ofMillis(300));
    assertThat(agent.containerCount()).isZero();
  }

  @Test
  void aShutdownWhileTheProcessStartsFailsTheTaskAsBeforeAStartAndKillsTheProcess()
      throws Exception {
    Process process = launchAndHoldTheStart();

    agent.shutdownExecutor(FRAMEWORK_ID, executorId("t1"));
    proceed.countDown();

    TaskStatus failed = nextAcknowledged();
    assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.getReason()).isEqualTo(Reason.REASON_EXECUTOR_TERMINATED);
    assertThat(failed.getMessage()).isEqualTo("Executor terminated");
    assertThat(failed.getSource()).isEqualTo(Source.SOURCE_AGENT);
    assertThat(process.onExit().get(15, TimeUnit.SECONDS).exitValue()).isEqualTo(128 + 9);
    master.assertNoUpdateWithin(Duration.ofMillis(300));
    assertThat(agent.containerCount()).isZero();
  }

  @Test
  void aCloseWhileTheProcessStartsKillsTheProcess() throws Exception {
    Process process = launchAndHoldTheStart();

    // close() kills the processes it knows, and this one once its start returns
    agent.close();
    proceed.countDown();

    assertThat(process.onExit().get(15, TimeUnit.SECONDS).exitValue()).isEqualTo(128 + 9);
    assertThat(master.updates).extracting(update -> update.status().getState())
        .doesNotContain(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    assertThat(List.copyOf(agent.processes)).isEmpty();
  }
}
