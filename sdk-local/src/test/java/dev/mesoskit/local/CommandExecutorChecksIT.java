package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health checks and checks of command tasks on a LocalCluster, driven by a raw v1 JSON scheduler
 * and compared with the updates of Mesos 1.12's command executor in the recorded scenarios
 * (a) to (d) ({@code scheduler/a-http-health-check.json} ... {@code d-command-check.json}), with
 * shorter intervals. The HTTP and TCP endpoints are served by this test, as the recorded task's
 * {@code http.server} served them: the probes are what is under test.
 */
class CommandExecutorChecksIT {
  private static final String STARTING = "TASK_STARTING SOURCE_EXECUTOR reason=- healthy=-"
      + " message=-";
  private static final String RUNNING = "TASK_RUNNING SOURCE_EXECUTOR reason=- healthy=-"
      + " message=-";
  private static final String KILLING = "TASK_KILLING SOURCE_EXECUTOR reason=- healthy=-"
      + " message=-";

  @TempDir
  Path dir;

  private LocalCluster cluster;
  private TestTaskScheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .statusUpdateRetry(Duration.ofMillis(500))
        .containerRuntime(ContainerRuntime.NONE)
        .start();
    scheduler = TestTaskScheduler.subscribe(cluster, "checks-it");
  }

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    cluster.close();
  }

  private static Protos.TaskInfo.Builder task(String id, String command) {
    Protos.TaskInfo.Builder task = Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setCommand(Protos.CommandInfo.newBuilder().setValue(command));
    for (String[] r : new String[][] {{"cpus", "0.1"}, {"mem", "32"}}) {
      task.addResources(Protos.Resource.newBuilder().setName(r[0])
          .setType(Protos.Value.Type.SCALAR)
          .setScalar(Protos.Value.Scalar.newBuilder().setValue(Double.parseDouble(r[1]))));
    }
    return task;
  }

  /** Launches, waits for the first healthy update, lets passes go by, kills; the updates. */
  private List<String> healthyThenKilled(Protos.TaskInfo.Builder task) throws Exception {
    String agent = scheduler.launch(task);
    scheduler.awaitUpdate(s -> s.hasHealthy());
    // Five more passing probes, which must send nothing.
    Thread.sleep(1000);
    scheduler.kill(task.getTaskId().getValue(), agent);
    scheduler.awaitTerminal();
    return scheduler.summary();
  }

  @Test
  void anHttpHealthCheckReportsItsFirstPassOnlyAndAKillEndsTheTaskWithoutHealth()
      throws Exception {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      List<String> updates = healthyThenKilled(task("http-hc", "sleep 1000")
          .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.HTTP)
              .setHttp(Protos.HealthCheck.HTTPCheckInfo.newBuilder()
                  .setPort(server.getAddress().getPort()).setPath("/"))
              .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(5)
              .setConsecutiveFailures(3).setGracePeriodSeconds(10)));

      assertThat(updates).containsExactly(
          STARTING,
          RUNNING,
          "TASK_RUNNING SOURCE_EXECUTOR reason=REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
              + " healthy=true message=-",
          KILLING,
          "TASK_KILLED SOURCE_EXECUTOR reason=- healthy=-"
              + " message=Command terminated with signal Terminated");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFailingCommandHealthCheckReportsEachFailureThenKillsTheTaskAsUnhealthy()
      throws Exception {
    scheduler.launch(task("cmd-hc-fail", "sleep 1000")
        .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.COMMAND)
            .setCommand(Protos.CommandInfo.newBuilder().setValue("false"))
            .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(5)
            .setConsecutiveFailures(2).setGracePeriodSeconds(0)));
    Protos.TaskStatus last = scheduler.awaitTerminal();

    String unhealthy = "TASK_RUNNING SOURCE_EXECUTOR reason=REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
        + " healthy=false message=-";
    assertThat(scheduler.summary()).containsExactly(
        STARTING,
        RUNNING,
        unhealthy,
        unhealthy,
        KILLING,
        "TASK_KILLED SOURCE_EXECUTOR reason=- healthy=false"
            + " message=Command terminated with signal Terminated");
    assertThat(last.getState()).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  void aTcpHealthCheckReportsItsFirstPassOnlyAndAKillEndsTheTaskWithoutHealth()
      throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!listener.isClosed()) {
          try {
            listener.accept().close();
          } catch (Exception e) {
            return;
          }
        }
      }, "tcp-hc-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      List<String> updates = healthyThenKilled(task("tcp-hc", "sleep 1000")
          .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.TCP)
              .setTcp(Protos.HealthCheck.TCPCheckInfo.newBuilder()
                  .setPort(listener.getLocalPort()))
              .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(5)
              .setConsecutiveFailures(3).setGracePeriodSeconds(10)));

      assertThat(updates).containsExactly(
          STARTING,
          RUNNING,
          "TASK_RUNNING SOURCE_EXECUTOR reason=REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
              + " healthy=true message=-",
          KILLING,
          "TASK_KILLED SOURCE_EXECUTOR reason=- healthy=-"
              + " message=Command terminated with signal Terminated");
    }
  }

  @Test
  void aCommandCheckCarriesAnEmptyStatusUntilItsFirstResultAndReportsEachChange()
      throws Exception {
    Path gate = dir.resolve("gate");
    String agent = scheduler.launch(task("cmd-check",
        "while [ ! -f '" + gate + "' ]; do sleep 0.05; done; touch \"$MESOS_SANDBOX/ready\";"
            + " sleep 1000")
        .setCheck(Protos.CheckInfo.newBuilder().setType(Protos.CheckInfo.Type.COMMAND)
            .setCommand(Protos.CheckInfo.Command.newBuilder().setCommand(
                Protos.CommandInfo.newBuilder().setValue("test -f \"$MESOS_SANDBOX/ready\"")))
            .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(5)));
    scheduler.awaitUpdate(s -> s.getCheckStatus().getCommand().hasExitCode());
    Files.createFile(gate);
    scheduler.awaitUpdate(s -> s.getCheckStatus().getCommand().getExitCode() == 0
        && s.getCheckStatus().getCommand().hasExitCode());
    // More results, all the same: nothing is sent.
    Thread.sleep(1000);
    scheduler.kill("cmd-check", agent);
    scheduler.awaitTerminal();

    String empty = " check_status={\"type\":\"COMMAND\",\"command\":{}}";
    String changed = "TASK_RUNNING SOURCE_EXECUTOR reason=REASON_TASK_CHECK_STATUS_UPDATED"
        + " healthy=- message=- check_status={\"type\":\"COMMAND\",\"command\":{\"exit_code\":";
    assertThat(scheduler.summary()).containsExactly(
        STARTING + empty,
        RUNNING + empty,
        changed + "1}}",
        changed + "0}}",
        KILLING + empty,
        "TASK_KILLED SOURCE_EXECUTOR reason=- healthy=-"
            + " message=Command terminated with signal Terminated" + empty);
  }

  @Test
  void aHealthCheckFailingWithinItsGracePeriodIsIgnoredUntilTheFirstPass() throws Exception {
    Path up = dir.resolve("up");
    String agent = scheduler.launch(task("grace-hc", "sleep 1000")
        .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.COMMAND)
            .setCommand(Protos.CommandInfo.newBuilder().setValue("test -f '" + up + "'"))
            .setDelaySeconds(0).setIntervalSeconds(0.1).setTimeoutSeconds(5)
            .setConsecutiveFailures(1).setGracePeriodSeconds(600)));
    scheduler.awaitUpdate(s -> s.getState() == TaskState.TASK_RUNNING);
    // Failures for a while, all within the grace period: nothing is sent, nothing is killed.
    Thread.sleep(1000);
    Files.createFile(up);
    scheduler.awaitUpdate(Protos.TaskStatus::hasHealthy);
    scheduler.kill("grace-hc", agent);
    scheduler.awaitTerminal();

    assertThat(scheduler.summary()).containsExactly(
        STARTING,
        RUNNING,
        "TASK_RUNNING SOURCE_EXECUTOR reason=REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"
            + " healthy=true message=-",
        KILLING,
        "TASK_KILLED SOURCE_EXECUTOR reason=- healthy=-"
            + " message=Command terminated with signal Terminated");
  }
}
