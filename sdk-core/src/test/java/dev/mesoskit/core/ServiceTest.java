package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A service keeps its instances running, reports each attempt once, and stops them on request. */
@Timeout(30)
class ServiceTest {
  private final TestRig rig = new TestRig();
  private final List<String> events = new ArrayList<>();

  private static TaskSpec web() {
    return TaskSpec.builder().name("web").resources("cpus:1;mem:128").command("serve").build();
  }

  private Service.Builder service() {
    return Service.builder().task(web()).instances(2)
        .retryPolicy(RetryPolicy.builder().unlimitedAttempts().jitter(0).build())
        .onRunning(t -> events.add("running " + t.id() + " attempt " + t.attempt()))
        .onRelaunch(t -> events.add("relaunch " + t.id() + ": " + t.message().orElse("")))
        .onEnd(t -> events.add("end " + t.id() + " " + t.state()));
  }

  /** Starts the framework with the service as listener, starts the service, launches both. */
  private Service launched(Service.Builder builder) {
    Service service = builder.build();
    rig.start(rig.builder().listener(service));
    rig.subscribed();
    service.start(rig.framework);
    rig.loop.runPending();
    rig.offer("a1", "cpus:2;mem:256");
    return service;
  }

  @Test
  void submitsEveryInstanceUnderTheTemplatesNameWithANumber() {
    Service service = launched(service());

    assertThat(service.instances()).containsExactly(TaskId.of("web-1"), TaskId.of("web-2"));
    assertThat(rig.framework.tasks()).extracting(Task::name).containsExactly("web-1", "web-2");
    assertThat(rig.calls()).contains("accept [o1] [web-1.1, web-2.1]");
  }

  @Test
  void reportsEachAttemptRunningOnceAndEachRelaunchOnce() {
    launched(service());

    rig.update("web-1.1", TaskState.RUNNING);
    rig.update("web-1.1", TaskState.RUNNING); // Mesos repeats updates
    rig.update("web-1.1", "a1", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED", "gone");
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a1", "cpus:1;mem:128");
    rig.update("web-1.2", TaskState.RUNNING);

    assertThat(events).containsExactly(
        "running web-1 attempt 1",
        "relaunch web-1: attempt 1 ended TASK_FAILED (REASON_EXECUTOR_TERMINATED): gone;"
            + " attempt 2 after 1000 ms",
        "running web-1 attempt 2");
    assertThat(rig.task("web-1").attempt()).isEqualTo(2);
  }

  @Test
  void relaunchesWithoutLimitByDefault() {
    assertThat(Service.RELAUNCH_FOREVER.unlimitedAttempts()).isTrue();
    assertThat(Service.RELAUNCH_FOREVER.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(Service.RELAUNCH_FOREVER.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anInstanceThatEndsForGoodEndsTheServiceWithWhy() {
    Service service = launched(service().retryPolicy(RetryPolicy.none()));

    rig.update("web-2.1", "a1", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED", "gone");

    assertThat(events).containsExactly("end web-2 FAILED");
    assertThat(service.ended()).isCompletedWithValue("web-2 ended FAILED");
  }

  @Test
  void stopKillsEveryInstanceAndWaitsUntilMesosConfirms() throws Exception {
    Service service = launched(service());
    rig.update("web-1.1", TaskState.RUNNING);
    rig.update("web-2.1", TaskState.RUNNING);

    CompletableFuture<Service.Stopped> stopped =
        CompletableFuture.supplyAsync(() -> service.stop(Duration.ofSeconds(20)));
    runLoopUntil(() -> rig.backend.kills().size() == 2);
    assertThat(rig.backend.kills()).containsExactly("web-1.1", "web-2.1");
    assertThat(stopped).isNotDone();
    rig.update("web-1.1", TaskState.KILLED);
    rig.update("web-2.1", TaskState.KILLED);

    Service.Stopped result = stopped.get(10, TimeUnit.SECONDS);
    assertThat(result.allKilled()).isTrue();
    assertThat(result.allEnded()).isTrue();
    assertThat(result.instances()).extracting(Task::state)
        .containsExactly(TaskState.KILLED, TaskState.KILLED);
    assertThat(events).containsExactly("running web-1 attempt 1", "running web-2 attempt 1");
    assertThat(service.ended()).isNotDone();
  }

  @Test
  void stopReportsTheInstancesThatDidNotEndInTime() throws Exception {
    Service service = launched(service());
    rig.update("web-1.1", TaskState.RUNNING);

    CompletableFuture<Service.Stopped> stopped =
        CompletableFuture.supplyAsync(() -> service.stop(Duration.ofMillis(200)));
    runLoopUntil(() -> rig.backend.kills().size() == 2);
    rig.update("web-2.1", TaskState.KILLED);
    runLoopUntil(() -> rig.framework.task(TaskId.of("web-2")).orElseThrow().done());
    assertThat(stopped).isNotDone(); // the deadline is on the framework's (manual) clock
    rig.loop.advance(Duration.ofMillis(200));

    Service.Stopped result = stopped.get(10, TimeUnit.SECONDS);
    assertThat(result.allKilled()).isFalse();
    assertThat(result.allEnded()).isFalse();
    assertThat(result.instances()).extracting(Task::state)
        .containsExactly(TaskState.RUNNING, TaskState.KILLED);
    assertThat(result.instances().get(0).done()).isFalse();
  }

  @Test
  void aFrameworkThatTerminatesEndsTheService() throws Exception {
    Service service = launched(service());

    rig.framework.close();
    runLoopUntil(() -> service.ended().isDone());

    assertThat(service.ended().get(10, TimeUnit.SECONDS)).isEqualTo("the framework terminated");
    assertThat(events).isEmpty();
  }

  @Test
  void startsOnlyOnce() {
    Service service = launched(service());

    assertThatThrownBy(() -> service.start(rig.framework))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web was already started");
  }

  @Test
  void refusesAFrameworkItDoesNotListenTo() {
    Service service = service().build();
    rig.start(rig.builder());

    assertThatThrownBy(() -> service.start(rig.framework))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web is not a listener of " + rig.framework + ": add"
            + " .listener(service) to its Framework.Builder, or its callbacks never run");
    assertThat(rig.framework.tasks()).isEmpty();
  }

  @Test
  void stopBeforeStartIsRefused() {
    assertThatThrownBy(() -> service().build().stop(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class).hasMessage("Service web was not started");
  }

  @Test
  void refusesABuilderWithoutTaskOrWithNoInstances() {
    assertThatThrownBy(() -> Service.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("task must be set");
    assertThatThrownBy(() -> Service.builder().task(web()).instances(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instances must be >= 1 but was 0");
  }

  private void runLoopUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      rig.loop.runPending();
      Thread.sleep(5);
    }
  }
}
