package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Service;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.local.LocalCluster;
import dev.mesoskit.tutorial.chapter8.ProductionTasks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 8 against a local cluster: its program, a service whose instances fail each kind of
 * health check and are relaunched, and a framework of two roles with a GPU task.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProductionTasksIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  static LocalCluster cluster;
  static String master;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.builder()
        .agents(2)
        .agentResources("cpus:2;mem:2048;disk:4096;ports:[31100-31199]")
        .allocationInterval(Duration.ofMillis(50))
        .start();
    master = "--master=" + cluster.masterAddress();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void theProgramsUnhealthyTaskIsKilledAndItsReadyTaskEndsCleanlyOnSigterm() {
    TutorialProgramsIT.Output out = new TutorialProgramsIT.Output();
    List<Task> ended = ProductionTasks.run(out.stream, master);

    assertThat(ended).extracting(Task::name).containsExactly("wedges", "warms-up", "writer",
        "reader");
    assertThat(ended).extracting(Task::state).containsExactly(TaskState.FAILED, TaskState.KILLED,
        TaskState.FINISHED, TaskState.FINISHED);
    assertThat(ended.get(2).id().value()).isEqualTo("pair.writer");
    assertThat(ended.get(2).agentId()).isEqualTo(ended.get(3).agentId());
    assertThat(ended.get(0).message()).contains("failed after 1 attempt: killed as unhealthy:"
        + " Command terminated with signal Terminated");
    assertThat(ended.get(0).healthy()).contains(false);
    assertThat(ended.get(1).message()).contains("Command exited with status 0");
    assertThat(out.lines()).contains(
        "wedges RUNNING healthy",
        "wedges RUNNING unhealthy",
        "warms-up RUNNING check: COMMAND exit code 1",
        "warms-up RUNNING check: COMMAND exit code 0");
  }

  @Test
  void anHttpCheckThatStartsFailingGetsTheInstanceKilledAndRelaunched() throws Exception {
    assertRelaunchedAfterFailing(Probe.http("/"), "http");
  }

  @Test
  void aTcpCheckThatStartsFailingGetsTheInstanceKilledAndRelaunched() throws Exception {
    assertRelaunchedAfterFailing(Probe.tcp(), "tcp");
  }

  @Test
  void aCommandCheckThatStartsFailingGetsTheInstanceKilledAndRelaunched() throws Exception {
    assertRelaunchedAfterFailing(Probe.command("test -f alive"), "command");
  }

  /** One instance that passes 3 probes, then fails every one: up, killed, relaunched, up. */
  private void assertRelaunchedAfterFailing(Probe probe, String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = mode.equals("command")
        ? "touch alive; (sleep 2; rm alive) & exec sleep 600"
        : "exec " + java + " " + probedSource() + " $PORT0 " + mode + " 3";
    List<String> seen = new CopyOnWriteArrayList<>();
    Service service = Service.builder()
        .task(TaskSpec.builder().name("probed-" + mode)
            .resources("cpus:0.2;mem:256;ports:1")
            .command(command)
            .healthCheck(HealthCheck.builder(probe)
                .delay(Duration.ZERO).interval(Duration.ofMillis(400))
                .timeout(Duration.ofSeconds(2))
                .gracePeriod(Duration.ofSeconds(30))      // the JVM takes a while to listen
                .consecutiveFailures(2).build())
            .build())
        .instances(1)
        .retryPolicy(RetryPolicy.builder().unlimitedAttempts()
            .initialBackoff(Duration.ofMillis(100)).build())
        .onRunning(task -> seen.add("up " + task.attempt() + " healthy=" + task.healthy()))
        .onRelaunch(task -> seen.add("relaunch: " + task.message().orElse("")))
        .build();
    try (Framework framework = Framework.builder()
        .name("probed-" + mode)
        .backend(Backends.fromArgs(master))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .listener(service)
        .build()) {
      framework.start();
      service.start(framework);
      await(() -> seen.contains("up 2 healthy=Optional[true]") ? true : null,
          () -> "attempt 2 never came up healthy: " + seen);
      assertThat(seen).startsWith("up 1 healthy=Optional[true]");
      assertThat(seen.get(1)).startsWith("relaunch: attempt 1 killed as unhealthy: Command"
          + " terminated with signal Terminated; attempt 2 after ");
      Service.Stopped stopped = service.stop(Duration.ofSeconds(30));
      assertThat(stopped.allKilled()).as(stopped::toString).isTrue();
    }
  }

  private static Path probedSource() throws IOException {
    Path source = dir.resolve("Probed.java");
    if (!Files.exists(source)) {
      try (InputStream in = ProductionTasksIT.class.getResourceAsStream("/Probed.java")) {
        Files.copy(in, source);
      }
    }
    return source;
  }

  @Test
  void tasksRunOnTheirRolesResourcesAndAGpuTaskGetsTheGpuAgent() {
    try (LocalCluster own = LocalCluster.builder().agents(2)
        .agentResources(1, "cpus:2;mem:1024;disk:1024;gpus:1;ports:[31200-31209]")
        .agentResources(2, "cpus:1;mem:512;cpus(web):1;mem(web):512;disk:1024;ports:[31210-31219]")
        .allocationInterval(Duration.ofMillis(50))
        .start()) {
      // tutorial:begin roles
      Framework.Builder twoRoles = Framework.builder()
          .name("two-roles")
          .backend(Backends.fromArgs("--master=" + own.masterAddress()))
          .roles("batch", "web")                          // MULTI_ROLE: offers come per role
          .frameworkIdStore(FrameworkIdStore.inMemory());
      TaskSpec training = TaskSpec.builder().name("train")
          .resources("cpus:1;mem:64;gpus:1")               // declares GPU_RESOURCES by itself
          .command("sleep 600").build();                   // role batch, the first
      TaskSpec frontend = TaskSpec.builder().name("web")
          .resources("cpus(web):1;mem(web):64")            // reserved for web
          .role("web")                                     // on resources allocated to web
          .command("sleep 600").build();
      // tutorial:end roles
      try (Framework framework = twoRoles.build()) {
        framework.start();
        TaskId train = framework.submit(training);
        TaskId web = framework.submit(frontend);
        Task gpu = awaitState(framework, train, TaskState.RUNNING);
        Task onWeb = awaitState(framework, web, TaskState.RUNNING);
        assertThat(gpu.agentId()).contains(agentId(own, 1));
        assertThat(onWeb.agentId()).contains(agentId(own, 2));
        framework.killAll();
        assertThat(framework.outcome(train).join().state()).isEqualTo(TaskState.KILLED);
        assertThat(framework.outcome(web).join().state()).isEqualTo(TaskState.KILLED);
      }
    }
  }

  private static String agentId(LocalCluster cluster, int agent) {
    return cluster.agentIds().get(agent - 1);
  }

  private static Task awaitState(Framework framework, TaskId id, TaskState state) {
    try {
      return await(() -> framework.task(id).filter(t -> t.state() == state).orElse(null),
          () -> id + " never reached " + state + ": " + framework.task(id));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static <T> T await(Supplier<T> value, Supplier<String> failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      T v = value.get();
      if (v != null) {
        return v;
      }
      assertThat(System.nanoTime()).as(failure).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
