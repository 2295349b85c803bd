package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.local.LocalCluster;
import dev.mesoskit.tutorial.chapter1.HelloMesos;
import dev.mesoskit.tutorial.chapter2.LogOffers;
import dev.mesoskit.tutorial.chapter3.LaunchTasks;
import dev.mesoskit.tutorial.chapter6.RealCluster;
import dev.mesoskit.tutorial.chapter7.Failures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every tutorial program against a local cluster, the way the chapters' commands do, and
 * checks exactly what they print and how their tasks end. The chapters' samples are regions of
 * these programs and of this class.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TutorialProgramsIT {
  static final String AGENT_RESOURCES = "cpus:2;mem:2048;disk:4096;ports:[31000-31099]";
  static LocalCluster cluster;
  static String master;

  @BeforeAll
  static void startCluster() {
    // tutorial:begin cluster
    cluster = LocalCluster.builder()
        .agents(2)
        .agentResources("cpus:2;mem:2048;disk:4096;ports:[31000-31099]")
        .start();                                          // master and agents on 127.0.0.1
    master = "--master=" + cluster.masterAddress();         // e.g. --master=127.0.0.1:41509
    // tutorial:end cluster
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void helloMesosPrintsEveryStateOfItsTaskAndFinishes() {
    Output out = new Output();
    Task task = HelloMesos.run(out.stream, master);
    assertThat(task.state()).isEqualTo(TaskState.FINISHED);
    assertThat(task.message()).contains("Command exited with status 0");
    assertThat(out.lines()).containsExactly("say-hello PENDING", "say-hello STAGING",
        "say-hello STARTING", "say-hello RUNNING", "say-hello FINISHED");
  }

  @Test
  void logOffersSeesOneOfferPerAgentAndTheSameResourcesAgainAfterDeclining() throws Exception {
    Output out = new Output();
    List<Offer> offers = LogOffers.run(out.stream, 4, master);
    assertThat(offers).hasSize(4);
    assertThat(Set.of(offers.get(0).agentId(), offers.get(1).agentId()))
        .isEqualTo(Set.copyOf(cluster.agentIds()));
    assertThat(Set.of(offers.get(2).agentId(), offers.get(3).agentId()))
        .isEqualTo(Set.copyOf(cluster.agentIds()));
    // the agents share this machine's ports: each gets half of the range
    Map<String, String> offered = Map.of(
        "agent-1", "cpus:2;mem:2048;disk:4096;ports:[31000-31049]",
        "agent-2", "cpus:2;mem:2048;disk:4096;ports:[31050-31099]");
    assertThat(offers).allSatisfy(o ->
        assertThat(o.resources().toString()).isEqualTo(offered.get(o.agentId())));
    assertThat(out.lines().get(0)).matches("registered as \\S+-\\d{4}, heartbeat every PT15S");
    assertThat(out.lines()).hasSize(5);
    assertThat(out.lines().subList(1, 5)).allMatch(line -> line.matches(
        "offer offer-\\d+ from agent agent-[12] \\(127\\.0\\.0\\.1\\): "
            + "cpus:2;mem:2048;disk:4096;ports:\\[310[05]0-310[49]9\\]"), "offer lines");
  }

  @Test
  void binPackPutsAllFourTasksOnOneAgent() {
    List<Task> tasks = LaunchTasks.run(new Output().stream, master, "--packing=binpack");
    assertThat(tasks).extracting(Task::state).containsOnly(TaskState.FINISHED);
    assertThat(tasks).extracting(t -> t.agentId().orElseThrow()).hasSize(4).containsOnly(
        tasks.get(0).agentId().orElseThrow());
  }

  @Test
  void spreadPutsTwoTasksOnEachAgentAndPrintsEveryStateOfEveryTask() {
    Output out = new Output();
    List<Task> tasks = LaunchTasks.run(out.stream, master, "--packing=spread");
    assertThat(tasks).extracting(Task::state).containsOnly(TaskState.FINISHED);
    Map<String, Long> perAgent = new TreeMap<>();
    tasks.forEach(t -> perAgent.merge(t.agentId().orElseThrow(), 1L, Long::sum));
    assertThat(perAgent).isEqualTo(Map.of("agent-1", 2L, "agent-2", 2L));
    for (Task t : tasks) {
      String on = " on " + t.agentId().orElseThrow();
      assertThat(out.lines()).filteredOn(l -> l.startsWith(t.name() + " attempt"))
          .containsExactly(t.name() + " attempt 1: PENDING", t.name() + " attempt 1: STAGING" + on,
              t.name() + " attempt 1: STARTING" + on, t.name() + " attempt 1: RUNNING" + on,
              t.name() + " attempt 1: FINISHED" + on);
    }
  }

  @Test
  void realClusterFetchesItsFileFromTheArtifactServerAndClearsTheStoredIdOnTeardown(
      @TempDir Path state) {
    Output out = new Output();
    int status = RealCluster.run(out.stream, master, "--state-dir=" + state,
        "--bind=127.0.0.1");
    assertThat(status).as(out.text()).isZero();
    assertThat(out.lines()).hasSize(4);
    assertThat(out.lines().get(0)).matches(
        "artifact http://127\\.0\\.0\\.1:\\d+/artifacts/[0-9a-f]{64}/greeting\\.txt");
    assertThat(out.lines().get(1)).matches(
        "framework \\S+-\\d{4} kept in " + java.util.regex.Pattern.quote(
            state.resolve("framework-id").toString()) + " while it runs");
    assertThat(out.lines().get(2)).isEqualTo("fetch-greeting FINISHED: Command exited with status 0");
    assertThat(out.lines().get(3)).isEqualTo("torn down, " + state.resolve("framework-id") + " removed");
    assertThat(state.resolve("framework-id")).doesNotExist();
  }

  @Test
  void realClusterRefusesAnUnknownDriverWithStatus2() {
    Output out = new Output();
    assertThat(RealCluster.run(out.stream, master, "--driver=carrier-pigeon")).isEqualTo(1);
    assertThat(out.text()).contains("No enum constant dev.mesoskit.core.Backends.Driver.CARRIER-PIGEON");
  }

  @Test
  void failuresEndInFourDifferentWays() throws Exception {
    Output out = new Output();
    List<Task> ended = Failures.run(out.stream, master);
    assertThat(ended).extracting(Task::name).containsExactly("flaky", "broken", "endless", "too-big");
    assertThat(ended).extracting(Task::state).containsExactly(TaskState.FINISHED, TaskState.FAILED,
        TaskState.KILLED, TaskState.KILLED);
    assertThat(ended).extracting(Task::attempt).containsExactly(2, 3, 1, 1);
    assertThat(ended.get(1).message()).contains(
        "failed after 3 attempts: TASK_FAILED: Command exited with status 3");
    assertThat(ended.get(3).message()).contains("killed on request before launch");
    assertThat(out.lines()).contains("flaky attempt 1 FAILED: Command exited with status 1",
        "flaky attempt 2 FINISHED (outcome): Command exited with status 0",
        "broken attempt 3 FAILED (outcome): failed after 3 attempts: TASK_FAILED: Command exited"
            + " with status 3",
        "too-big attempt 1 KILLED (outcome): killed on request before launch");
    assertThat(out.lines()).filteredOn(l -> l.startsWith("too-big waits: ")).singleElement()
        .asString().contains("cpus");
  }

  @Test
  void aTaskOnARemovedAgentIsRetriedOnTheOtherAgent() {
    try (LocalCluster own = LocalCluster.builder().agents(2).agentResources(AGENT_RESOURCES).start()) {
      List<Task> changes = new CopyOnWriteArrayList<>();
      // tutorial:begin agent-lost
      try (Framework framework = Framework.builder()
          .name("survivor")
          .backend(Backends.fromArgs("--master=" + own.masterAddress()))
          .frameworkIdStore(FrameworkIdStore.inMemory())
          .listener(changes::add)
          .build()) {
        framework.start();
        TaskId id = framework.submit(TaskSpec.builder()
            .name("long").resources("cpus:0.1;mem:32").command("sleep 2").build());
        String agent = awaitRunning(framework, id).agentId().orElseThrow();
        own.removeAgent(agent);                 // the agent is gone: attempt 1 ends, attempt 2 runs
        Task outcome = framework.outcome(id).join();
        assertThat(outcome.state()).isEqualTo(TaskState.FINISHED);
        assertThat(outcome.attempt()).isEqualTo(2);
        assertThat(outcome.agentId()).isPresent().get().isNotEqualTo(agent);
      }
      // tutorial:end agent-lost
      assertThat(changes).filteredOn(t -> t.attempt() == 1 && t.state().endsAttempt())
          .extracting(Task::state).containsExactly(TaskState.GONE_BY_OPERATOR);
    }
  }

  @Test
  void aRestartedSchedulerAdoptsTheTaskItsPredecessorLaunched(@TempDir Path state) {
    TaskSpec spec = TaskSpec.builder().id("nightly-report").name("nightly-report")
        .resources("cpus:0.1;mem:32").command("sleep 2").build();
    FrameworkIdStore store = FrameworkIdStore.file(state.resolve("framework-id"));
    String firstId;
    String agent;
    try (Framework first = Framework.builder().name("reports").backend(Backends.fromArgs(master))
        .frameworkIdStore(store).build()) {
      first.start();
      TaskId id = first.submit(spec);
      agent = awaitRunning(first, id).agentId().orElseThrow();
      firstId = first.frameworkId().orElseThrow();
    } // close(): disconnects without a teardown, the task runs on
    List<Task> changes = new CopyOnWriteArrayList<>();
    // tutorial:begin failover
    try (Framework restarted = Framework.builder()
        .name("reports")
        .backend(Backends.fromArgs(master))
        .frameworkIdStore(store)                  // holds the id of the first run
        .listener(changes::add)
        .build()) {
      restarted.start();                          // subscribes with that id, then reconciles
      TaskId id = restarted.submit(spec);         // same task id: adopted, not launched again
      Task outcome = restarted.outcome(id).join();
      assertThat(outcome.state()).isEqualTo(TaskState.FINISHED);
      assertThat(outcome.attempt()).isEqualTo(1);
      assertThat(restarted.frameworkId()).contains(firstId);
      restarted.finish();
      restarted.awaitTermination();
    }
    // tutorial:end failover
    assertThat(changes).extracting(Task::state).doesNotContain(TaskState.STAGING);
    assertThat(changes).filteredOn(t -> t.state() == TaskState.RUNNING)
        .extracting(t -> t.agentId().orElseThrow()).containsOnly(agent);
  }

  static Task awaitRunning(Framework framework, TaskId id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Task t = framework.task(id).orElseThrow();
      if (t.state() == TaskState.RUNNING) {
        return t;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError(id + " not RUNNING within 30 s: " + framework.task(id));
  }

  /** Captures what a program prints. */
  static final class Output {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    List<String> lines() {
      return new ArrayList<>(text().lines().toList());
    }
  }
}
