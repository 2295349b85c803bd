package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Framework on the HTTP backend against a 2-agent LocalCluster: command tasks, crashes,
 * removed agents, master failover and scheduler failover.
 */
class LocalClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private LocalCluster cluster;
  private final List<Framework> frameworks = new ArrayList<>();
  private final List<Task> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofSeconds(1))
        .statusUpdateRetry(Duration.ofMillis(500))
        .executorShutdownGracePeriod(Duration.ofSeconds(1))
        .start();
  }

  @AfterEach
  void stop() {
    frameworks.forEach(Framework::close);
    cluster.close();
  }

  private Framework framework(FrameworkIdStore store) {
    Framework fw = Framework.builder()
        .name("local-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(store)
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(500)).build())
        .refuse(Duration.ofMillis(200))
        .reconcileBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
        .listener(seen::add)
        .build();
    frameworks.add(fw);
    fw.start();
    return fw;
  }

  /**
   * A shell command that runs until the test creates {@code gate}: how long a task runs is the
   * test's decision, not a race between a sleep and a slow machine.
   */
  private static String untilOpened(Path gate) {
    return "while [ ! -e '" + gate + "' ]; do sleep 0.05; done";
  }

  private static TaskSpec command(String id, String shell) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:0.5;mem:64").command(shell).build();
  }

  private static Task outcome(Framework fw, TaskId id) throws Exception {
    return fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private void awaitRunningOn(Framework fw, TaskId id, String agent) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!fw.task(id).filter(t -> t.state() == TaskState.RUNNING
        && t.agentId().equals(java.util.Optional.of(agent))).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never ran on " + agent + ": " + fw.task(id));
      }
      Thread.sleep(20);
    }
  }

  private void awaitState(Framework fw, TaskId id, TaskState state) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fw.task(id).map(Task::state).orElse(null) != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never reached " + state + ": " + fw.task(id));
      }
      Thread.sleep(20);
    }
  }

  @Test
  void commandTasksRunOnBothAgentsAndFinish() throws Exception {
    Framework fw = framework(FrameworkIdStore.inMemory());
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(fw.submit(command("echo-" + i, "echo hello > out.txt")));
    }
    for (TaskId id : ids) {
      Task t = outcome(fw, id);
      assertThat(t.state()).isEqualTo(TaskState.FINISHED);
      assertThat(t.attempt()).isEqualTo(1);
      assertThat(t.hostname()).hasValue("127.0.0.1");
    }
    assertThat(fw.tasks()).extracting(t -> t.agentId().orElseThrow()).contains("agent-1",
        "agent-2");
    assertThat(seen.stream().filter(t -> t.id().equals(ids.get(0))).map(Task::state))
        .containsSubsequence(TaskState.PENDING, TaskState.STAGING, TaskState.RUNNING,
            TaskState.FINISHED);
    fw.finish();
    assertThat(fw.awaitTermination(WAIT)).isTrue();
  }

  @Test
  void executorsRunInASessionOfTheirOwnLikeOnAMesosAgent(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "needs setsid");
    Framework fw = framework(FrameworkIdStore.inMemory());
    Path stat = dir.resolve("stat");
    // field 6 of /proc/PID/stat is the session id; $$ is the shell, which the agent started
    TaskId id = fw.submit(command("session", "echo $$ $(cut -d' ' -f6 /proc/$$/stat) > " + stat));
    assertThat(outcome(fw, id).state()).isEqualTo(TaskState.FINISHED);
    String[] pidAndSession = Files.readString(stat).trim().split(" ");
    String ownSession = Files.readString(Path.of("/proc/self/stat")).split(" ")[5];
    assertThat(pidAndSession[1]).as("the shell leads its own session").isEqualTo(pidAndSession[0])
        .isNotEqualTo(ownSession);
  }

  @Test
  void aFailingCommandFailsWithItsExitStatusAfterItsRetries() throws Exception {
    Framework fw = framework(FrameworkIdStore.inMemory());
    TaskId id = fw.submit(command("exit-3", "exit 3"));
    Task t = outcome(fw, id);
    assertThat(t.state()).isEqualTo(TaskState.FAILED);
    assertThat(t.attempt()).isEqualTo(3);
    assertThat(t.message()).hasValue("failed after 3 attempts: TASK_FAILED: Command exited with"
        + " status 3");
  }

  @Test
  void aKilledExecutorIsRetriedAndFinishes() throws Exception {
    Framework fw = framework(FrameworkIdStore.inMemory());
    TaskId id = fw.submit(command("crashy", "sleep 2"));
    awaitState(fw, id, TaskState.RUNNING);
    Task running = fw.task(id).orElseThrow();
    cluster.killExecutor(running.agentId().orElseThrow(), fw.frameworkId().orElseThrow(),
        "crashy.1");
    Task t = outcome(fw, id);
    assertThat(t.state()).isEqualTo(TaskState.FINISHED);
    assertThat(t.attempt()).isEqualTo(2);
  }

  @Test
  void tasksOfARemovedAgentAreRescheduledOnTheOther(@TempDir Path dir) throws Exception {
    Framework fw = framework(FrameworkIdStore.inMemory());
    Path gate = dir.resolve("gate");
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(fw.submit(command("long-" + i, untilOpened(gate))));
    }
    for (TaskId id : ids) {
      awaitState(fw, id, TaskState.RUNNING);
    }
    cluster.removeAgent("agent-1");
    for (TaskId id : ids) {
      awaitRunningOn(fw, id, "agent-2");
    }
    Files.createFile(gate);
    for (TaskId id : ids) {
      Task t = outcome(fw, id);
      assertThat(t.state()).isEqualTo(TaskState.FINISHED);
      assertThat(t.agentId()).hasValue("agent-2");
    }
  }

  @Test
  void aMasterFailoverLosesNoTaskAndRunsNoneTwice(@TempDir Path dir) throws Exception {
    Framework fw = framework(FrameworkIdStore.inMemory());
    Path gate = dir.resolve("gate");
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(fw.submit(command("steady-" + i, untilOpened(gate))));
    }
    for (TaskId id : ids) {
      awaitState(fw, id, TaskState.RUNNING);
    }
    String frameworkId = fw.frameworkId().orElseThrow();
    cluster.restartMaster(Duration.ofMillis(500));
    Files.createFile(gate);
    for (TaskId id : ids) {
      Task t = outcome(fw, id);
      assertThat(t.state()).isEqualTo(TaskState.FINISHED);
      assertThat(t.attempt()).as("not relaunched").isEqualTo(1);
    }
    assertThat(fw.frameworkId()).hasValue(frameworkId);
  }

  @Test
  void aRestartedSchedulerFailsOverAndKeepsItsTasks(@TempDir Path dir) throws Exception {
    FrameworkIdStore store = FrameworkIdStore.inMemory();
    Framework first = framework(store);
    Path gate = dir.resolve("gate");
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(first.submit(command("kept-" + i, untilOpened(gate))));
    }
    for (TaskId id : ids) {
      awaitState(first, id, TaskState.RUNNING);
    }
    String frameworkId = first.frameworkId().orElseThrow();
    first.close();

    Framework second = framework(store);
    for (int i = 0; i < 3; i++) {
      second.submit(command("kept-" + i, untilOpened(gate)));
    }
    for (TaskId id : ids) {
      awaitState(second, id, TaskState.RUNNING);
    }
    Files.createFile(gate);
    for (TaskId id : ids) {
      Task t = outcome(second, id);
      assertThat(t.state()).isEqualTo(TaskState.FINISHED);
      assertThat(t.attempt()).as("adopted, not relaunched").isEqualTo(1);
    }
    assertThat(second.frameworkId()).hasValue(frameworkId);
  }
}
