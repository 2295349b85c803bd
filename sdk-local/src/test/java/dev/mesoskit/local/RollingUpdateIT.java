package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.Service;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.UpdateEvent;
import dev.mesoskit.core.UpdateOutcome;
import dev.mesoskit.core.UpdatePolicy;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Service#update} end to end: a Service of four health-checked command tasks on a
 * two-agent LocalCluster, whose command executor runs the health checks as Mesos' does, is
 * rolled over one instance at a time, and a new template whose health check fails rolls back.
 */
@Timeout(60)
class RollingUpdateIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final UpdatePolicy ONE_AT_A_TIME =
      UpdatePolicy.builder().maxDown(1).stepTimeout(Duration.ofSeconds(30)).build();

  /** Each attempt touches {@code <version>-<Mesos task id>} here when it starts. */
  @TempDir
  Path started;

  private LocalCluster cluster;
  private Framework fw;
  private Service web;
  /** What the service's onUpdateEvent heard, as {@code "KILL web-4"}. */
  private final List<String> heard = new CopyOnWriteArrayList<>();
  /** The instances up: added by onRunning and UP events, removed by KILL events. */
  private final Set<TaskId> up = ConcurrentHashMap.newKeySet();
  /** The fewest instances up right after any KILL event. */
  private final AtomicInteger fewestUp = new AtomicInteger(Integer.MAX_VALUE);

  @BeforeEach
  void start() throws Exception {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .statusUpdateRetry(Duration.ofMillis(500))
        .start();
    web = Service.builder().task(web("v1", "sleep 600", "true")).instances(4)
        .onRunning(t -> up.add(t.id()))
        .onUpdateEvent(this::follow)
        .build();
    fw = Framework.builder()
        .name("rolling-update-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .refuse(Duration.ofMillis(200))
        .listener(web)
        .build();
    fw.start();
    web.start(fw);
    awaitAllUp();
    assertThat(up).containsExactlyInAnyOrderElementsOf(ids("web-1", "web-2", "web-3", "web-4"));
  }

  @AfterEach
  void stop() {
    if (fw != null) {
      web.stop(Duration.ofSeconds(10));
      fw.close();
    }
    cluster.close();
  }

  /**
   * A command task that records that {@code version} started and runs {@code command}, with a
   * health check that runs {@code probe} every 0.5 s from its start.
   */
  private TaskSpec web(String version, String command, String probe) {
    return TaskSpec.builder().name("web").resources("cpus:0.1;mem:32")
        .command("touch '" + started.resolve(version) + "-'\"$MESOS_EXECUTOR_ID\"; exec "
            + command) // a command task's executor id is its Mesos task id
        .healthCheck(HealthCheck.builder(Probe.command(probe)).delay(Duration.ZERO)
            .interval(Duration.ofMillis(500)).gracePeriod(Duration.ZERO).consecutiveFailures(1)
            .build())
        .build();
  }

  private void follow(UpdateEvent event) {
    heard.add(event.toString());
    TaskId id = event.instance().orElse(null);
    switch (event.kind()) {
      case UP -> up.add(id);
      case KILL -> {
        up.remove(id);
        fewestUp.accumulateAndGet(up.size(), Math::min);
      }
      default -> { }
    }
  }

  /** Waits until every current instance of the service is up ({@link Service#isUp}). */
  private void awaitAllUp() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!web.instances().stream().allMatch(id -> fw.task(id).map(web::isUp).orElse(false))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not all up: " + web.instances().stream()
            .map(fw::task).toList());
      }
      Thread.sleep(50);
    }
  }

  /**
   * The versions each attempt of the instance {@code id} started as, e.g. {@code [v1]}, once one
   * has: an instance can be up before its shell has run the {@code touch} (the health check's
   * first probe runs beside the command, not after it), so this waits up to {@link #WAIT} for the
   * first file.
   */
  private List<String> versionsOf(TaskId id) throws java.io.IOException, InterruptedException {
    String attempt = "-" + id + "."; // the Mesos task id of attempt n is <id>.<n>
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<String> versions;
      try (var files = Files.list(started)) {
        versions = files.map(f -> f.getFileName().toString()).filter(f -> f.contains(attempt))
            .map(f -> f.substring(0, f.indexOf(attempt))).toList();
      }
      if (!versions.isEmpty() || System.nanoTime() > deadline) {
        return versions;
      }
      Thread.sleep(20);
    }
  }

  private List<String> launchedTaskIds() {
    return cluster.launches().stream().map(TaskLaunchRecord::taskId).toList();
  }

  private static List<TaskId> ids(String... ids) {
    return java.util.Arrays.stream(ids).map(TaskId::of).toList();
  }

  private static List<String> steps(UpdateOutcome outcome) {
    return outcome.events().stream().map(Object::toString).toList();
  }

  @Test
  void replacesFourHealthyInstancesOneAtATimeNeverWithMoreThanOneDown() throws Exception {
    TaskSpec v2 = web("v2", "sleep 601", "true");

    UpdateOutcome outcome = web.update(v2, ONE_AT_A_TIME).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<String> expected = List.of(
        "KILL web-4", "LAUNCH web-5", "UP web-5",
        "KILL web-3", "LAUNCH web-6", "UP web-6",
        "KILL web-2", "LAUNCH web-7", "UP web-7",
        "KILL web-1", "LAUNCH web-8", "UP web-8");
    assertThat(outcome.completed()).isTrue();
    assertThat(outcome.rolledBack()).isFalse();
    assertThat(outcome.reason()).isEqualTo("replaced 4 instances");
    assertThat(steps(outcome)).isEqualTo(expected);
    assertThat(heard).as("onUpdateEvent, before the outcome completed").isEqualTo(expected);
    assertThat(fewestUp.get()).as("instances up after each kill").isEqualTo(3);
    assertThat(up).containsExactlyInAnyOrderElementsOf(ids("web-5", "web-6", "web-7", "web-8"));
    assertThat(web.instances()).isEqualTo(ids("web-5", "web-6", "web-7", "web-8"));
    for (TaskId id : web.instances()) {
      assertThat(versionsOf(id)).as("versions of " + id).containsExactly("v2");
    }

    List<String> launched = launchedTaskIds();
    assertThat(launched).hasSize(8).doesNotHaveDuplicates(); // every attempt 1, started once
    assertThat(launched.subList(0, 4)).containsExactlyInAnyOrder("web-1.1", "web-2.1",
        "web-3.1", "web-4.1");
    assertThat(launched.subList(4, 8)).containsExactly("web-5.1", "web-6.1", "web-7.1",
        "web-8.1");
    assertThat(cluster.launches()).extracting(TaskLaunchRecord::frameworkId)
        .containsOnly(fw.frameworkId().orElseThrow());
  }

  @Test
  void aNewTemplateWhoseHealthCheckFailsRollsBackToFourHealthyInstancesOfTheOldOne()
      throws Exception {
    TaskSpec bad = web("v2", "sleep 601", "false");

    UpdateOutcome outcome = web.update(bad, ONE_AT_A_TIME).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<String> expected = List.of(
        "KILL web-4", "LAUNCH web-5", "ROLLBACK", "KILL web-5", "LAUNCH web-6");
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.rolledBack()).isTrue();
    assertThat(outcome.reason())
        .isEqualTo("web-5 failed its health check: Command terminated with signal Terminated");
    assertThat(steps(outcome)).isEqualTo(expected);
    assertThat(heard).as("onUpdateEvent, before the outcome completed").isEqualTo(expected);
    assertThat(web.instances()).isEqualTo(ids("web-1", "web-2", "web-3", "web-6"));

    awaitAllUp(); // the rollback does not wait for web-6; it comes up healthy
    for (TaskId id : web.instances()) {
      assertThat(versionsOf(id)).as("versions of " + id).containsExactly("v1");
      assertThat(fw.task(id).orElseThrow().healthy()).hasValue(true);
    }
    assertThat(fw.task(TaskId.of("web-5")).orElseThrow().done()).isTrue();

    List<String> launched = launchedTaskIds();
    assertThat(launched).hasSize(6).doesNotHaveDuplicates(); // web-5's relaunch never started
    assertThat(launched.subList(0, 4)).containsExactlyInAnyOrder("web-1.1", "web-2.1",
        "web-3.1", "web-4.1");
    assertThat(launched.subList(4, 6)).containsExactly("web-5.1", "web-6.1");
  }
}
