package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandboxes of a {@link LocalCluster}: a finished task's is deleted after the gc delay, a running
 * task's never; {@link LocalCluster#close()} deletes the work directory it created, with every
 * sandbox left, and keeps one it was given.
 */
@Timeout(120)
class SandboxCollectionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  private static LocalCluster.Builder cluster() {
    return LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .executorShutdownGracePeriod(Duration.ofSeconds(1));
  }

  private static Framework framework(LocalCluster cluster) {
    Framework fw = Framework.builder().name("sandboxes")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RetryPolicy.none())
        .refuse(Duration.ofMillis(100))
        .build();
    fw.start();
    return fw;
  }

  private static TaskSpec command(String id, String shell) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:0.1;mem:32").command(shell).build();
  }

  /**
   * Every run directory (sandbox) below the work directory, by its executor's id: a command
   * task's is its Mesos task id, the task's id and attempt ({@code t1.1}).
   */
  private static List<String> sandboxesOf(Path workDir) throws IOException {
    // The collector deletes directories while the walk runs: a walk that meets one vanishing
    // is done again, from the start.
    for (int attempt = 1; ; attempt++) {
      List<String> found = new ArrayList<>();
      try (Stream<Path> paths = Files.walk(workDir)) {
        paths.filter(p -> p.getParent() != null && p.getParent().getFileName().toString()
            .equals("runs")).forEach(p -> found.add(p.getParent().getParent().getFileName()
            .toString()));
        return found;
      } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
        Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        if (!(cause instanceof java.nio.file.NoSuchFileException) || attempt == 100) {
          throw e;
        }
      }
    }
  }

  @Test
  void aFinishedTasksSandboxIsDeletedAfterTheGcDelayAndARunningTasksNever() throws Exception {
    try (LocalCluster cluster = cluster().gcDelay(Duration.ofMillis(100)).start();
        Framework fw = framework(cluster)) {
      TaskId running = fw.submit(command("running", "touch started; exec sleep 60"));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!sandboxesOf(cluster.workDir()).contains("running.1")
          || fw.task(running).map(t -> t.state() != TaskState.RUNNING).orElse(true)) {
        assertThat(System.nanoTime()).as("running task started").isLessThan(deadline);
        Thread.sleep(20);
      }
      TaskId done = fw.submit(command("done", "echo done > out.txt"));
      assertThat(fw.outcome(done).get(WAIT.toSeconds(), TimeUnit.SECONDS).state())
          .isEqualTo(TaskState.FINISHED);

      while (sandboxesOf(cluster.workDir()).contains("done.1")) {
        assertThat(System.nanoTime()).as("finished task's sandbox deleted").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(sandboxesOf(cluster.workDir())).containsExactly("running.1");
      assertThat(fw.task(running).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    }
  }

  @Test
  void closeDeletesTheWorkDirItCreatedWithTheSandboxesOfFinishedTasks() throws Exception {
    LocalCluster cluster = cluster().start();
    Path workDir = cluster.workDir();
    try (Framework fw = framework(cluster)) {
      List<TaskId> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add(fw.submit(command("t" + i, "echo hello > out.txt")));
      }
      for (TaskId id : ids) {
        assertThat(fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS).state())
            .isEqualTo(TaskState.FINISHED);
      }
      assertThat(sandboxesOf(workDir)).hasSize(10); // kept 10 minutes by default
    } finally {
      cluster.close();
    }
    assertThat(workDir).doesNotExist();
    cluster.close(); // idempotent
    assertThat(workDir).doesNotExist();
  }

  @Test
  void closeKeepsAWorkDirItWasGiven() throws Exception {
    Path given = tmp.resolve("given");
    LocalCluster cluster = cluster().workDir(given).start();
    try (Framework fw = framework(cluster)) {
      TaskId id = fw.submit(command("t1", "echo hello > out.txt"));
      assertThat(fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS).state())
          .isEqualTo(TaskState.FINISHED);
    } finally {
      cluster.close();
    }
    assertThat(sandboxesOf(given)).containsExactly("t1.1");
  }

  @Test
  void aSecondCloseReturnsOnlyOnceTheClusterStopped() throws Exception {
    LocalCluster cluster = cluster().start();
    Path planted = cluster.workDir()
        .resolve("agent-1/frameworks/f1/executors/e1/runs/c1/stdout");
    Files.createDirectories(planted.getParent());
    Files.writeString(planted, "left over");
    Thread first = new Thread(cluster::close);
    first.start();
    cluster.close();
    assertThat(cluster.workDir()).doesNotExist();
    first.join(WAIT.toMillis());
    assertThat(first.isAlive()).isFalse();
  }

  @Test
  void gcSettingsOutsideTheirRangesAreRefusedByName() {
    assertThatThrownBy(() -> LocalCluster.builder().gcDelay(Duration.ofSeconds(-1)).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gcDelay must be >= 0 but was PT-1S");
    assertThatThrownBy(() -> LocalCluster.builder().gcDelay(null).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gcDelay must be >= 0 but was null");
    assertThatThrownBy(() -> LocalCluster.builder().gcDiskHeadroom(1.5).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gcDiskHeadroom must be 0.0-1.0 but was 1.5");
    assertThatThrownBy(() -> LocalCluster.builder().gcDiskHeadroom(Double.NaN).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gcDiskHeadroom must be 0.0-1.0 but was NaN");
  }
}
