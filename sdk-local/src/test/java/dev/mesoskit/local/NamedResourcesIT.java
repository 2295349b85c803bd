package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents declared with resources of any name offer them, and the master accounts for them as a
 * Mesos master does: a Framework whose tasks ask for {@code licenses:1} runs as many as the agents
 * have licenses, keeps the rest pending with the reason, and runs them as licenses come back.
 */
class NamedResourcesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String AGENT = "cpus:4;mem:4096;disk:1000;ports:[31000-31099];licenses:2;"
      + "network_bandwidth:1000;zones:{a,b}";

  private LocalCluster cluster;
  private Framework framework;
  private SchedulerSession session;

  @AfterEach
  void stop() {
    if (framework != null) {
      framework.close();
    }
    if (session != null) {
      session.close();
    }
    cluster.close();
  }

  private void start(int agents) {
    cluster = LocalCluster.builder().agents(agents).agentResources(AGENT)
        .allocationInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofSeconds(1))
        .executorShutdownGracePeriod(Duration.ofSeconds(1))
        .start();
  }

  /** Runs until the test creates {@code gate}: how long a task runs is the test's decision. */
  private static String untilOpened(Path gate) {
    return "while [ ! -e '" + gate + "' ]; do sleep 0.05; done";
  }

  private void await(String what, Predicate<Framework> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.test(framework)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " never happened: " + framework.tasks());
      }
      Thread.sleep(20);
    }
  }

  private static long count(Framework fw, TaskState state) {
    return fw.tasks().stream().filter(t -> t.state() == state).count();
  }

  @Test
  void runsAsManyLicensedTasksAsAgentsHaveLicensesAndTheRestAsLicensesComeBack(
      @TempDir Path dir) throws Exception {
    start(2);
    framework = Framework.builder().name("licenses-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .refuse(Duration.ofMillis(200))
        .build();
    framework.start();
    List<TaskId> ids = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ids.add(framework.submit(TaskSpec.builder().id("licensed-" + i).name("licensed-" + i)
          .resources("cpus:0.1;mem:32;licenses:1")
          .command(untilOpened(dir.resolve("gate-" + i))).build()));
    }

    await("4 tasks running", fw -> count(fw, TaskState.RUNNING) == 4);
    await("2 tasks pending with the reason", fw -> fw.tasks().stream()
        .filter(t -> t.state() == TaskState.PENDING)
        .filter(t -> t.message().equals(
            java.util.Optional.of("needs licenses 1, the largest offer has 0")))
        .count() == 2);
    Map<String, Integer> perAgent = new TreeMap<>();
    for (Task t : framework.tasks()) {
      if (t.state() == TaskState.RUNNING) {
        perAgent.merge(t.agentId().orElseThrow(), 1, Integer::sum);
      }
    }
    assertThat(perAgent).containsExactly(Map.entry("agent-1", 2), Map.entry("agent-2", 2));

    // Two running tasks finish; their licenses return and the pending two take them.
    List<TaskId> first = framework.tasks().stream().filter(t -> t.state() == TaskState.RUNNING)
        .map(Task::id).limit(2).toList();
    for (TaskId id : first) {
      Files.createFile(dir.resolve("gate-" + id.value().substring("licensed-".length())));
    }
    for (TaskId id : first) {
      assertThat(framework.outcome(id).get().state()).isEqualTo(TaskState.FINISHED);
    }
    await("the other 2 running", fw -> count(fw, TaskState.RUNNING) == 4
        && count(fw, TaskState.PENDING) == 0);
    assertThat(count(framework, TaskState.FINISHED)).isEqualTo(2);

    for (int i = 1; i <= 6; i++) {
      Path gate = dir.resolve("gate-" + i);
      if (!Files.exists(gate)) {
        Files.createFile(gate);
      }
    }
    for (TaskId id : ids) {
      assertThat(framework.outcome(id).get().state()).isEqualTo(TaskState.FINISHED);
    }
  }

  @Test
  void offersEveryDeclaredResourceWithItsType() throws Exception {
    start(1);
    session = SchedulerSession.subscribe(cluster.masterUri(), "offers-it", List.of("*"),
        Protos.FrameworkInfo.Capability.Type.MULTI_ROLE);

    Protos.Offer offer = session.offers().get(0);

    Map<String, Protos.Resource> byName = new TreeMap<>();
    offer.getResourcesList().forEach(r -> byName.put(r.getName(), r));
    assertThat(byName).containsOnlyKeys("cpus", "mem", "disk", "ports", "licenses",
        "network_bandwidth", "zones");
    assertThat(byName.get("licenses").getScalar().getValue()).isEqualTo(2.0);
    assertThat(byName.get("network_bandwidth").getScalar().getValue()).isEqualTo(1000.0);
    assertThat(byName.get("zones").getType()).isEqualTo(Protos.Value.Type.SET);
    assertThat(byName.get("zones").getSet().getItemList()).containsExactlyInAnyOrder("a", "b");

    HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        cluster.masterUri().resolve("/state")).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject resources = JsonParser.parseString(state.body()).getAsJsonObject()
        .getAsJsonArray("slaves").get(0).getAsJsonObject().getAsJsonObject("resources");
    assertThat(resources.get("licenses").getAsDouble()).isEqualTo(2.0);
    assertThat(resources.get("network_bandwidth").getAsDouble()).isEqualTo(1000.0);
    assertThat(resources.get("zones").getAsString()).isEqualTo("{a, b}");
  }

  @Test
  void refusesATaskUsingMoreOfANamedResourceThanOfferedAndInvalidOnes() throws Exception {
    start(1);
    session = SchedulerSession.subscribe(cluster.masterUri(), "refuse-it", List.of("*"),
        Protos.FrameworkInfo.Capability.Type.MULTI_ROLE);
    Protos.Offer offer = session.offers().get(0);
    Protos.Resource.AllocationInfo star = Protos.Resource.AllocationInfo.newBuilder()
        .setRole("*").build();
    Protos.Resource licenses = SchedulerSession.scalar("licenses", 3).toBuilder()
        .setAllocationInfo(star).build();
    Protos.Resource cpus = SchedulerSession.scalar("cpus", 0.1).toBuilder()
        .setAllocationInfo(star).build();

    assertThat(session.accept(offer.getId(), launch(offer, "too-many", cpus, licenses)))
        .isEqualTo("202");
    Protos.TaskStatus error = session.update();

    assertThat(error.getState()).isEqualTo(Protos.TaskState.TASK_ERROR);
    assertThat(error.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
    assertThat(error.getMessage()).isEqualTo("Total resources "
        + MesosText.resources(List.of(cpus, licenses)) + " required by task and its executor is"
        + " more than available " + MesosText.resources(offer.getResourcesList()));

    Protos.Offer again = session.offers().get(0);
    Protos.Resource twice = Protos.Resource.newBuilder().setName("zones")
        .setType(Protos.Value.Type.SET).setAllocationInfo(star)
        .setSet(Protos.Value.Set.newBuilder().addItem("a").addItem("a")).build();
    assertThat(session.accept(again.getId(), launch(again, "twice", cpus, twice)))
        .isEqualTo("202");
    assertThat(session.update().getMessage())
        .isEqualTo("Resource 'zones(allocated: *):{a, a}' is invalid: Invalid set resource:"
            + " duplicated elements");
  }

  private static Protos.Offer.Operation launch(Protos.Offer offer, String id,
      Protos.Resource... resources) {
    Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(offer.getAgentId())
        .addAllResources(List.of(resources))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 1")).build();
    return Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH)
        .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build();
  }
}
