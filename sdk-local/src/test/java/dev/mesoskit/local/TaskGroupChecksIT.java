package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health checks, checks and container images of the tasks of a LAUNCH_GROUP, which the DEFAULT
 * executor handles as Mesos' default executor does ({@code src/launcher/default_executor.cpp}):
 * the same updates as the command executor's checks, and a task that fails or is killed gets the
 * rest of its group killed.
 */
class TaskGroupChecksIT {
  private static final String STARTING = "TASK_STARTING reason=- healthy=- message=-";
  private static final String RUNNING = "TASK_RUNNING reason=- healthy=- message=-";
  private static final String KILLING = "TASK_KILLING reason=- healthy=- message=-";
  private static final String HEALTHY = "TASK_RUNNING reason=REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
      + " healthy=true message=-";
  private static final String UNHEALTHY = "TASK_RUNNING"
      + " reason=REASON_TASK_HEALTH_CHECK_STATUS_UPDATED healthy=false message=-";
  private static final String KILLED = "TASK_KILLED reason=- healthy=-"
      + " message=Command terminated with signal Terminated";
  private static final String KILLED_UNHEALTHY = "TASK_KILLED reason=- healthy=false"
      + " message=Command terminated with signal Terminated";

  @TempDir
  Path workDir;
  @TempDir
  Path dir;
  private LocalCluster cluster;
  private SchedulerSession scheduler;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalCluster.builder().agents(1).workDir(workDir)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31009]").start();
    scheduler = SchedulerSession.subscribe(cluster.masterUri(), "group-checks-it", List.of("*"),
        Type.MULTI_ROLE, Type.TASK_KILLING_STATE, Type.PARTITION_AWARE);
  }

  @AfterEach
  void stop() {
    scheduler.close();
    cluster.close();
  }

  private Protos.ExecutorInfo executor() {
    return Protos.ExecutorInfo.newBuilder().setType(Protos.ExecutorInfo.Type.DEFAULT)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("group-executor"))
        .setFrameworkId(scheduler.id())
        .addResources(SchedulerSession.scalar("cpus", 0.1))
        .addResources(SchedulerSession.scalar("mem", 32))
        .addResources(SchedulerSession.scalar("disk", 10)).build();
  }

  private static Protos.TaskInfo.Builder task(String id, String command) {
    return Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .addResources(SchedulerSession.scalar("cpus", 0.1))
        .addResources(SchedulerSession.scalar("mem", 32))
        .setCommand(Protos.CommandInfo.newBuilder().setValue(command));
  }

  private static Protos.HealthCheck.Builder failFast(Protos.HealthCheck.Builder check) {
    return check.setDelaySeconds(0).setIntervalSeconds(0.1).setTimeoutSeconds(5)
        .setGracePeriodSeconds(0);
  }

  /** Launches the group on the first offer's agent; the agent. */
  private Protos.AgentID launch(Protos.TaskInfo.Builder... tasks) throws Exception {
    Protos.Offer offer = scheduler.offers().get(0);
    Protos.TaskGroupInfo.Builder group = Protos.TaskGroupInfo.newBuilder();
    for (Protos.TaskInfo.Builder t : tasks) {
      group.addTasks(t.setAgentId(offer.getAgentId()));
    }
    assertThat(scheduler.accept(offer.getId(), Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
        .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor())
            .setTaskGroup(group)).build())).isEqualTo("202");
    return offer.getAgentId();
  }

  /**
   * Updates until every task is terminal, summarised, by task id; each update is shown to
   * {@code seen} as it comes.
   */
  private Map<String, List<String>> updatesUntilTerminal(int tasks,
      Consumer<Protos.TaskStatus> seen) throws Exception {
    Map<String, List<String>> byTask = new LinkedHashMap<>();
    int terminal = 0;
    while (terminal < tasks) {
      Protos.TaskStatus s = scheduler.update();
      byTask.computeIfAbsent(s.getTaskId().getValue(), k -> new ArrayList<>()).add(summary(s));
      seen.accept(s);
      if (LocalMaster.isTerminal(s.getState())) {
        terminal++;
      }
    }
    return byTask;
  }

  private static String summary(Protos.TaskStatus s) {
    assertThat(s.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_EXECUTOR);
    String text = s.getState() + " reason=" + (s.hasReason() ? s.getReason() : "-")
        + " healthy=" + (s.hasHealthy() ? s.getHealthy() : "-")
        + " message=" + (s.hasMessage() ? s.getMessage() : "-");
    if (s.hasCheckStatus()) {
      Protos.CheckStatusInfo c = s.getCheckStatus();
      text += " check=" + c.getType() + (c.getCommand().hasExitCode()
          ? ":" + c.getCommand().getExitCode() : "");
    }
    return text;
  }

  private void kill(String task, Protos.AgentID agent) throws Exception {
    assertThat(scheduler.send(scheduler.call(Call.Type.KILL).setKill(Call.Kill.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(task)).setAgentId(agent))))
        .isEqualTo("202");
  }

  @Test
  void aGroupTaskWhoseHealthCheckStartsFailingIsKilledAsUnhealthyAndSoIsItsSibling()
      throws Exception {
    Path broken = dir.resolve("broken");
    launch(task("checked", "sleep 1000").setHealthCheck(failFast(Protos.HealthCheck.newBuilder()
            .setType(Protos.HealthCheck.Type.COMMAND)
            .setCommand(Protos.CommandInfo.newBuilder().setValue("test ! -e '" + broken + "'")))
            .setConsecutiveFailures(2)),
        task("sibling", "sleep 1000"));

    Map<String, List<String>> updates = updatesUntilTerminal(2, s -> {
      if (s.hasHealthy() && s.getHealthy()) {
        try {
          Files.createFile(broken);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });

    assertThat(updates.get("checked")).containsExactly(STARTING, RUNNING, HEALTHY, UNHEALTHY,
        UNHEALTHY, KILLING, KILLED_UNHEALTHY);
    // Mesos' default executor marks every later terminal update unhealthy (MESOS-8543)
    assertThat(updates.get("sibling")).containsExactly(STARTING, RUNNING, KILLING,
        KILLED_UNHEALTHY);
  }

  @Test
  void aGroupTaskWithACheckReportsEachChangeAndAnEmptyStatusOtherwise() throws Exception {
    Path gate = dir.resolve("gate");
    Protos.AgentID agent = launch(task("checked",
        "while [ ! -f '" + gate + "' ]; do sleep 0.05; done; touch \"$MESOS_SANDBOX/ready\";"
            + " sleep 1000")
        .setCheck(Protos.CheckInfo.newBuilder().setType(Protos.CheckInfo.Type.COMMAND)
            .setCommand(Protos.CheckInfo.Command.newBuilder().setCommand(
                Protos.CommandInfo.newBuilder().setValue("test -f \"$MESOS_SANDBOX/ready\"")))
            .setDelaySeconds(0).setIntervalSeconds(0.1).setTimeoutSeconds(5)),
        task("sibling", "sleep 1000"));

    Map<String, List<String>> updates = updatesUntilTerminal(2, s -> {
      if (!s.getTaskId().getValue().equals("checked")
          || !s.getCheckStatus().getCommand().hasExitCode()) {
        return;
      }
      try {
        if (s.getCheckStatus().getCommand().getExitCode() == 1) {
          Files.createFile(gate);
        } else {
          kill("checked", agent);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    String empty = " check=COMMAND";
    String changed = "TASK_RUNNING reason=REASON_TASK_CHECK_STATUS_UPDATED healthy=- message=-"
        + " check=COMMAND:";
    assertThat(updates.get("checked")).containsExactly(STARTING + empty, RUNNING + empty,
        changed + "1", changed + "0", KILLING + empty, KILLED + empty);
    assertThat(updates.get("sibling")).containsExactly(STARTING, RUNNING, KILLING, KILLED);
  }

  @Test
  void aGroupTaskWithAnImageFailsAtOnceSayingWhyAndItsSiblingIsKilled() throws Exception {
    launch(task("imaged", "true").setContainer(Protos.ContainerInfo.newBuilder()
            .setType(Protos.ContainerInfo.Type.MESOS)
            .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder().setImage(Protos.Image
                .newBuilder().setType(Protos.Image.Type.DOCKER)
                .setDocker(Protos.Image.Docker.newBuilder().setName("alpine:3.19"))))),
        task("sibling", "sleep 1000"));

    Map<String, List<String>> updates = updatesUntilTerminal(2, s -> { });

    assertThat(updates.get("imaged")).containsExactly(STARTING,
        "TASK_FAILED reason=- healthy=- message=Failed to launch container: Unsupported"
            + " container image type: DOCKER; LocalCluster cannot run container images in task"
            + " groups: its default executor runs each task as a host process, not in a nested"
            + " container; run the group on a Mesos agent with a container runtime, or launch"
            + " the task on its own (LAUNCH), which runs Docker images in podman");
    assertThat(updates.get("sibling")).containsExactly(STARTING, RUNNING, KILLING, KILLED);
  }

  @Test
  void aGroupTaskWithOnlyArgumentsAndNoImageFailsAtOnceSayingWhy() throws Exception {
    launch(task("entrypoint-only", "unused").setCommand(Protos.CommandInfo.newBuilder()
            .setShell(false).addArguments("echo").addArguments("hello")),
        task("sibling", "sleep 1000"));

    Map<String, List<String>> updates = updatesUntilTerminal(2, s -> { });

    assertThat(updates.get("entrypoint-only")).containsExactly(STARTING,
        "TASK_FAILED reason=- healthy=- message=Failed to launch container: Executable path is"
            + " not specified; LocalCluster runs a task group's tasks as host processes, so a"
            + " command with shell false needs a value, the executable to run: only a container"
            + " image's entrypoint could stand in for it, and LocalCluster cannot run images in"
            + " task groups");
    assertThat(updates.get("sibling")).containsExactly(STARTING, RUNNING, KILLING, KILLED);
  }

  @Test
  void anHttpHealthCheckWhosePathRedirectsToAServerErrorIsUnhealthy() throws Exception {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health", exchange -> {
      exchange.getResponseHeaders().add("Location", "/broken");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/broken", exchange -> {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.start();
    try {
      launch(task("http-checked", "sleep 1000").setHealthCheck(failFast(
              Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.HTTP)
                  .setHttp(Protos.HealthCheck.HTTPCheckInfo.newBuilder()
                      .setPort(server.getAddress().getPort()).setPath("/health")))
              .setConsecutiveFailures(1)),
          task("sibling", "sleep 1000"));

      Map<String, List<String>> updates = updatesUntilTerminal(2, s -> { });

      assertThat(updates.get("http-checked")).containsExactly(STARTING, RUNNING, UNHEALTHY,
          KILLING, KILLED_UNHEALTHY);
      assertThat(updates.get("sibling")).containsExactly(STARTING, RUNNING, KILLING,
          KILLED_UNHEALTHY);
    } finally {
      server.stop(0);
    }
  }
}
