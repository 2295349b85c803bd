package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mesoskit.local.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every command against a running LocalCluster with one agent and a framework ("cli-it") that
 * has a running task ("sleeper") and a finished one ("echo-task"), asserting exact output.
 * Needs LocalCluster's operator API ({@code POST /api/v1}); skipped when it answers no
 * GET_HEALTH.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterCommandsIT {
  private static final String RESOURCES = "cpus:2;mem:4096;disk:10240;ports:[31000-31999]";

  private LocalCluster cluster;
  private SchedulerSession framework;
  private String master;
  private String agentId;
  private String frameworkId;
  private boolean operatorApi;

  @BeforeAll
  void start() throws Exception {
    cluster = LocalCluster.builder().agents(1).agentResources(RESOURCES).start();
    master = "--master=" + cluster.masterAddress();
    operatorApi = operator("GET_HEALTH").map(a -> a.contains("\"healthy\":true"))
        .orElse(false);
    framework = SchedulerSession.subscribe(cluster.masterUri(), Protos.FrameworkInfo.newBuilder()
        .setName("cli-it").setUser("root").addRoles("*"));
    frameworkId = framework.id().getValue();
    agentId = framework.launch(0.2, 64, "sleeper", "echo started; sleep 1000").getValue();
    framework.awaitState("sleeper", Protos.TaskState.TASK_RUNNING);
    framework.launch(0.1, 32, "echo-task", "echo hello-stdout");
    framework.awaitState("echo-task", Protos.TaskState.TASK_FINISHED);
  }

  @BeforeEach
  void needsTheOperatorApi() {
    Assumptions.assumeTrue(operatorApi,
        "LocalCluster answers no GET_HEALTH on POST /api/v1: it has no operator API yet");
  }

  @AfterAll
  void stop() {
    if (framework != null) {
      framework.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void agentsListsTheAgentWithItsResourcesAndWhatTheTasksUse() {
    Run run = Run.of("agents", master);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(new Table("ID", "HOST", "PORT", "STATE", "RESOURCES",
        "ALLOCATED").row(agentId, "127.0.0.1", String.valueOf(agentPort()), "active",
        "cpus:2 mem:4096 disk:10240 ports:[31000-31999]", "cpus:0.2 mem:64").render());
  }

  @Test
  @Order(2)
  void agentsJsonHasMesosShape() {
    JsonObject json = JsonParser.parseString(Run.of("agents", "--json", master).out())
        .getAsJsonObject();

    assertThat(json.get("type").getAsString()).isEqualTo("GET_AGENTS");
    JsonObject agent = json.getAsJsonObject("get_agents").getAsJsonArray("agents").get(0)
        .getAsJsonObject();
    assertThat(agent.getAsJsonObject("agent_info").getAsJsonObject("id").get("value")
        .getAsString()).isEqualTo(agentId);
    assertThat(agent.get("active").getAsBoolean()).isTrue();
  }

  @Test
  @Order(3)
  void frameworksListsTheRunningFramework() {
    Run run = Run.of("frameworks", master);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(new Table("ID", "NAME", "STATE", "USER", "ROLES",
        "ALLOCATED").row(frameworkId, "cli-it", "active", "root", "*", "cpus:0.2 mem:64")
        .render());
  }

  @Test
  @Order(4)
  void tasksListsTheRunningAndTheFinishedTask() {
    Run run = Run.of("tasks", master);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(tasksTable()
        .row("sleeper", "sleeper", "TASK_RUNNING", frameworkId, agentId, "127.0.0.1",
            "cpus:0.2 mem:64")
        .row("echo-task", "echo-task", "TASK_FINISHED", frameworkId, agentId, "127.0.0.1",
            "cpus:0.1 mem:32").render());
    assertThat(Run.of("tasks", "--state", "finished", "--framework", frameworkId, master).out())
        .isEqualTo(tasksTable().row("echo-task", "echo-task", "TASK_FINISHED", frameworkId,
            agentId, "127.0.0.1", "cpus:0.1 mem:32").render());
  }

  @Test
  @Order(5)
  void tasksJsonKeepsOnlyTheFilteredTasks() {
    JsonObject json = JsonParser.parseString(Run.of("tasks", "--json", "--state", "running",
        master).out()).getAsJsonObject().getAsJsonObject("get_tasks");

    assertThat(json.getAsJsonArray("tasks")).hasSize(1);
    assertThat(json.getAsJsonArray("tasks").get(0).getAsJsonObject().get("name").getAsString())
        .isEqualTo("sleeper");
    assertThat(json.getAsJsonArray("completed_tasks")).isEmpty();
  }

  @Test
  @Order(6)
  void logsPrintsTheSandboxStdoutAndStderr() {
    assertThat(Run.of("logs", "echo-task", master).bytes()).isEqualTo(Run.utf8("hello-stdout\n"));
    assertThat(Run.of("logs", "sleeper", "--tail=1", master).bytes())
        .isEqualTo(Run.utf8("started\n"));
    Run stderr = Run.of("logs", "echo-task", "--stderr", master);
    assertThat(stderr.exitCode()).isZero();
    assertThat(stderr.err()).isEmpty();
  }

  @Test
  @Order(7)
  void logsFollowPrintsWhatARunningTaskWritesAndEndsWithIt() throws Exception {
    framework.launch(0.1, 32, "writer", "for i in 1 2 3; do echo line-$i; sleep 1; done");
    long started = System.nanoTime();
    CompletableFuture<Run> follow = CompletableFuture.supplyAsync(
        () -> Run.of("logs", "writer", "--follow", "--poll-millis=100", master));
    framework.awaitState("writer", Protos.TaskState.TASK_FINISHED);

    Run run = follow.get(30, TimeUnit.SECONDS);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.bytes()).isEqualTo(Run.utf8("line-1\nline-2\nline-3\n"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(2));
  }

  @Test
  @Order(8)
  void logsOfAnUnknownTaskFails() {
    Run run = Run.of("logs", "no-such-task", master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mesoskit logs: task not found: no-such-task (the master at "
        + cluster.masterAddress() + " lists no such task)\n");
  }

  @Test
  @Order(9)
  void teardownEndsAFrameworkWhoseSchedulerWasKilled() throws Exception {
    framework.stopOffers();
    SchedulerSession orphan = SchedulerSession.subscribe(cluster.masterUri(),
        Protos.FrameworkInfo.newBuilder().setName("orphan").setUser("root").addRoles("*")
            .setFailoverTimeout(3600));
    String orphanId = orphan.id().getValue();
    orphan.launch(0.1, 32, "orphan-sleeper", "sleep 1000");
    orphan.awaitState("orphan-sleeper", Protos.TaskState.TASK_RUNNING);
    orphan.close(); // the scheduler dies: its connection drops without a TEARDOWN
    awaitOutput(() -> Run.of("frameworks", "--json", master).out(),
        out -> out.contains("\"connected\": false"));
    assertThat(Run.of("frameworks", master).out()).contains(new Table("ID", "NAME", "STATE",
        "USER", "ROLES", "ALLOCATED").row(orphanId, "orphan", "disconnected", "root", "*",
        "cpus:0.1 mem:32").render().lines().skip(1).findFirst().orElseThrow());

    Run run = Run.of("teardown", orphanId, master);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("Tore down framework " + orphanId + " (orphan).\n");
    String killed = tasksTable().row("orphan-sleeper", "orphan-sleeper", "TASK_KILLED", orphanId,
        agentId, "127.0.0.1", "cpus:0.1 mem:32").render();
    assertThat(awaitOutput(() -> Run.of("tasks", "--framework", orphanId, master).out(),
        killed::equals)).isEqualTo(killed);
    assertThat(Run.of("frameworks", "--all", master).out()).contains("  orphan  completed  ");
    Run again = Run.of("teardown", orphanId, master);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("mesoskit teardown: framework " + orphanId
        + " (orphan) is already torn down or finished\n");
  }

  @Test
  @Order(10)
  void teardownOfAnUnknownFrameworkFails() {
    Run run = Run.of("teardown", "no-such-framework", master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mesoskit teardown: unknown framework id no-such-framework:"
        + " the master at " + cluster.masterAddress() + " knows no such framework"
        + " ('mesoskit frameworks' lists them)\n");
  }

  private static Table tasksTable() {
    return new Table("ID", "NAME", "STATE", "FRAMEWORK", "AGENT", "HOST", "RESOURCES");
  }

  private int agentPort() {
    JsonObject answer = JsonParser.parseString(operator("GET_AGENTS").orElseThrow())
        .getAsJsonObject();
    return answer.getAsJsonObject("get_agents").getAsJsonArray("agents").get(0).getAsJsonObject()
        .getAsJsonObject("agent_info").get("port").getAsInt();
  }

  private static String awaitOutput(java.util.function.Supplier<String> run,
      Predicate<String> done) throws InterruptedException {
    String out = run.get();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.test(out) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      out = run.get();
    }
    return out;
  }

  /** A call on the master's operator API; empty unless it answered 200. */
  private java.util.Optional<String> operator(String type) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(cluster.masterUri() + "/").resolve("/api/v1"))
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? java.util.Optional.of(r.body().replace(" ", ""))
          .map(b -> type.equals("GET_HEALTH") ? b : r.body()) : java.util.Optional.empty();
    } catch (Exception e) {
      return java.util.Optional.empty();
    }
  }
}
