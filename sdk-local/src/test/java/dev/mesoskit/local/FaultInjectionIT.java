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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partitions, dropped status updates and silent masters, seen through a Framework. */
class FaultInjectionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private LocalCluster cluster;
  private Framework fw;

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofMillis(200))
        .statusUpdateRetry(Duration.ofMillis(300))
        .executorShutdownGracePeriod(Duration.ofSeconds(1))
        .start();
    fw = Framework.builder().name("faults-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(500)).build())
        .refuse(Duration.ofMillis(200))
        .reconcileBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
        .implicitReconcileInterval(Duration.ofSeconds(1))
        .build();
    fw.start();
  }

  @AfterEach
  void stop() {
    fw.close();
    cluster.close();
  }

  private TaskId submit(String id, String shell) {
    return fw.submit(TaskSpec.builder().id(id).name(id).resources("cpus:1.5;mem:64")
        .command(shell).build());
  }

  private void awaitRunning(TaskId id) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fw.task(id).map(Task::state).orElse(null) != TaskState.RUNNING) {
      assertThat(System.nanoTime()).as("%s never ran", id).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aPartitionedAgentsTaskIsReplacedElsewhereAndTheOldAttemptKilledWhenItComesBack()
      throws Exception {
    TaskId id = submit("partitioned", "sleep 30");
    awaitRunning(id);
    String first = fw.task(id).orElseThrow().agentId().orElseThrow();
    String other = first.equals("agent-1") ? "agent-2" : "agent-1";
    cluster.partitionAgent(first);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fw.task(id).orElseThrow().attempt() != 2
        || fw.task(id).orElseThrow().state() != TaskState.RUNNING) {
      assertThat(System.nanoTime()).as("replacement never ran: %s", fw.task(id))
          .isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(fw.task(id).orElseThrow().agentId()).hasValue(other);

    // The partition heals: the old attempt is seen running again and killed by the framework.
    cluster.healAgent(first);
    while (cluster.agent(first).latestStatuses().stream().noneMatch(s ->
        s.getTaskId().getValue().equals("partitioned.1")
            && s.getState() == org.apache.mesos.v1.Protos.TaskState.TASK_KILLED)) {
      assertThat(System.nanoTime()).as("old attempt never killed: %s",
          cluster.agent(first).latestStatuses()).isLessThan(deadline);
      Thread.sleep(50);
    }
    fw.kill(id);
    Task t = fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(t.state()).isEqualTo(TaskState.KILLED);
    assertThat(t.attempt()).isEqualTo(2);
  }

  @Test
  void droppedStatusUpdatesAreResentUntilAcknowledged() throws Exception {
    cluster.dropStatusUpdates(3);
    TaskId id = submit("resent", "true");
    Task t = fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(t.state()).isEqualTo(TaskState.FINISHED);
    assertThat(t.attempt()).isEqualTo(1);
  }

  @Test
  void aSilentMasterIsLeftAndResubscribedToWithoutLosingTheTask() throws Exception {
    TaskId id = submit("quiet", "sleep 2");
    awaitRunning(id);
    String frameworkId = fw.frameworkId().orElseThrow();
    cluster.heartbeats(false);
    Thread.sleep(1500);
    cluster.heartbeats(true);
    Task t = fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(t.state()).isEqualTo(TaskState.FINISHED);
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(fw.frameworkId()).hasValue(frameworkId);
  }
}
