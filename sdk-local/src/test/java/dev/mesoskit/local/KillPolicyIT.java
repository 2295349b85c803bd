package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill policies end to end: a Framework on the HTTP backend kills command tasks on a LocalCluster,
 * whose command executor answers as Mesos 1.12's does in the recorded scenario (e)
 * ({@code scheduler/e-kill-policy.json}): TASK_KILLING first (the SDK declares
 * TASK_KILLING_STATE), SIGTERM, SIGKILL after the grace period, and TASK_KILLED with
 * {@code Command exited with status 0} or {@code Command terminated with signal Killed}.
 */
class KillPolicyIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path gates;

  private LocalCluster cluster;
  private Framework fw;
  private final List<Task> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .statusUpdateRetry(Duration.ofMillis(500))
        .start();
    fw = Framework.builder()
        .name("kill-policy-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .refuse(Duration.ofMillis(200))
        .listener(seen::add)
        .build();
    fw.start();
  }

  @AfterEach
  void stop() {
    if (fw != null) {
      fw.close();
    }
    cluster.close();
  }

  /** A command task with a kill policy that touches {@code <gates>/<id>} once its trap is set. */
  private TaskSpec task(String id, String trap, Duration grace) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:0.1;mem:32")
        .command(trap + "; touch '" + gates.resolve(id) + "'; echo started;"
            + " while true; do sleep 0.1; done")
        .killGracePeriod(grace)
        .build();
  }

  private void awaitTrapSet(Framework fw, TaskId id) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!(Files.exists(gates.resolve(id.value()))
        && fw.task(id).map(Task::state).orElse(null) == TaskState.RUNNING)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never ran with its trap set: " + fw.task(id));
      }
      Thread.sleep(20);
    }
  }

  private List<TaskState> statesOf(TaskId id) {
    return seen.stream().filter(t -> t.id().equals(id)).map(Task::state).distinct().toList();
  }

  @Test
  void aTaskThatExitsAfterSigtermIsKilledWithItsExitStatusAndOneThatIgnoresItIsSigkilledAfterTheGracePeriod()
      throws Exception {
    TaskId graceful = fw.submit(task("kill-graceful",
        "trap 'echo got SIGTERM; sleep 1; echo exiting; exit 0' TERM", Duration.ofSeconds(3)));
    TaskId stubborn = fw.submit(task("kill-ignores-term",
        "trap 'echo ignoring SIGTERM' TERM", Duration.ofSeconds(3)));
    awaitTrapSet(fw, graceful);
    awaitTrapSet(fw, stubborn);

    long killedGraceful = System.nanoTime();
    fw.kill(graceful);
    Task gracefulOutcome = fw.outcome(graceful).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Duration gracefulTook = Duration.ofNanos(System.nanoTime() - killedGraceful);

    long killedStubborn = System.nanoTime();
    fw.kill(stubborn);
    Task stubbornOutcome = fw.outcome(stubborn).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Duration stubbornTook = Duration.ofNanos(System.nanoTime() - killedStubborn);

    assertThat(gracefulOutcome.state()).isEqualTo(TaskState.KILLED);
    assertThat(gracefulOutcome.message()).hasValue("Command exited with status 0");
    assertThat(gracefulOutcome.reason()).isEmpty();
    assertThat(gracefulTook).as("its trap sleeps 1 s").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(statesOf(graceful)).endsWith(TaskState.RUNNING, TaskState.KILLING, TaskState.KILLED);

    assertThat(stubbornOutcome.state()).isEqualTo(TaskState.KILLED);
    assertThat(stubbornOutcome.message()).hasValue("Command terminated with signal Killed");
    assertThat(stubbornOutcome.reason()).isEmpty();
    assertThat(stubbornTook).as("SIGKILL not before the 3 s grace period")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(statesOf(stubborn)).endsWith(TaskState.RUNNING, TaskState.KILLING, TaskState.KILLED);
  }

  @Test
  void aKillWithItsOwnGracePeriodOverridesTheTasksKillPolicy() throws Exception {
    // The task's policy would keep it alive for 10 minutes, longer than this test waits.
    TaskId stubborn = fw.submit(task("kill-ignores-term",
        "trap 'echo ignoring SIGTERM' TERM", Duration.ofMinutes(10)));
    awaitTrapSet(fw, stubborn);

    long killed = System.nanoTime();
    fw.kill(stubborn, Duration.ofMillis(500));
    Task outcome = fw.outcome(stubborn).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome.state()).isEqualTo(TaskState.KILLED);
    assertThat(outcome.message()).hasValue("Command terminated with signal Killed");
    assertThat(Duration.ofNanos(System.nanoTime() - killed))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(statesOf(stubborn)).endsWith(TaskState.RUNNING, TaskState.KILLING, TaskState.KILLED);
  }
}
