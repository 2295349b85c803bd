package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.TaskLaunch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Service#scale}: new instances after the highest number, the highest killed first
 * without being reported as deaths, names never reused.
 */
@Timeout(30)
class ServiceScaleTest {
  private static final RetryPolicy POLICY =
      RetryPolicy.builder().unlimitedAttempts().jitter(0).build();

  private final TestRig rig = new TestRig();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  private static TaskSpec web() {
    return TaskSpec.builder().name("web").resources("cpus:1;mem:128").command("serve").build();
  }

  private static TaskSpec instanceSpec(String id) {
    return web().toBuilder().id(id).name(id).retryPolicy(POLICY).build();
  }

  private Service.Builder service(int instances) {
    return Service.builder().task(web()).instances(instances).retryPolicy(POLICY)
        .onRunning(t -> events.add("running " + t.id() + " attempt " + t.attempt()))
        .onRelaunch(t -> events.add("relaunch " + t.id()))
        .onEnd(t -> events.add("end " + t.id() + " " + t.state()));
  }

  /** Starts the framework and the service, launches every instance and reports it RUNNING. */
  private Service running(Service.Builder builder) {
    Service service = builder.build();
    rig.start(rig.builder().listener(service));
    rig.subscribed();
    service.start(rig.framework);
    rig.loop.runPending();
    rig.offer("a1", "cpus:8;mem:1024");
    for (TaskId id : service.instances()) {
      rig.update(id.value() + ".1", TaskState.RUNNING);
    }
    events.clear();
    rig.clearCalls();
    return service;
  }

  private static List<TaskId> ids(String... ids) {
    return java.util.Arrays.stream(ids).map(TaskId::of).toList();
  }

  @Test
  void scalingUpSubmitsTheNextNumbersWithTheTemplateAndRetryPolicy() {
    Service service = running(service(2));

    service.scale(4);
    rig.loop.runPending();

    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2", "web-3", "web-4"));
    assertThat(rig.framework.tasks()).extracting(Task::name)
        .containsExactly("web-1", "web-2", "web-3", "web-4");
    rig.offer("a2", "cpus:2;mem:256");
    assertThat(rig.calls()).contains("accept [o2] [web-3.1, web-4.1]");
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec)
        .containsExactly(instanceSpec("web-3"), instanceSpec("web-4"));
    rig.update("web-3.1", TaskState.RUNNING);
    rig.update("web-4.1", TaskState.RUNNING);
    assertThat(events).containsExactly("running web-3 attempt 1", "running web-4 attempt 1");
    assertThat(service).hasToString("Service[web x4]");
  }

  @Test
  void aScaledUpInstanceIsRelaunchedUnderTheServicesRetryPolicy() {
    Service service = running(service(1));
    service.scale(2);
    rig.offer("a2", "cpus:1;mem:128");
    rig.update("web-2.1", TaskState.RUNNING);

    rig.update("web-2.1", "a2", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED", "gone");
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a2", "cpus:1;mem:128");
    rig.update("web-2.2", TaskState.RUNNING);

    assertThat(events).containsExactly("running web-2 attempt 1", "relaunch web-2",
        "running web-2 attempt 2");
    assertThat(service.ended()).isNotDone();
  }

  @Test
  void scalingDownKillsTheHighestNumberedFirstAndDoesNotReportThem() {
    Service service = running(service(4));

    service.scale(2);
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2"));
    rig.loop.runPending();
    assertThat(rig.backend.kills()).containsExactly("web-4.1", "web-3.1");
    rig.update("web-4.1", TaskState.KILLED);
    rig.update("web-3.1", TaskState.KILLED);

    assertThat(rig.task("web-3").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("web-3").done()).isTrue();
    assertThat(rig.task("web-4").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("web-4").done()).isTrue();
    assertThat(events).isEmpty();
    assertThat(service.ended()).isNotDone();
    assertThat(service).hasToString("Service[web x2]");
  }

  @Test
  void aScaledAwayInstanceThatFailsBeforeItsKillIsConfirmedDoesNotEndTheService() {
    Service service = running(service(3).retryPolicy(RetryPolicy.none()));

    service.scale(2);
    rig.loop.runPending();
    rig.update("web-3.1", "a1", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED", "gone");

    assertThat(rig.task("web-3").done()).isTrue(); // the framework records it as KILLED
    assertThat(rig.task("web-3").state()).isEqualTo(TaskState.KILLED);
    assertThat(events).isEmpty();
    assertThat(service.ended()).isNotDone();
  }

  @Test
  void anInstanceWaitingToBeRelaunchedEndsKilledAtOnceAndIsNotRelaunched() {
    Service service = running(service(2));
    rig.update("web-2.1", "a1", TaskState.FAILED, "REASON_EXECUTOR_TERMINATED", "gone");
    assertThat(events).containsExactly("relaunch web-2");
    events.clear();

    service.scale(1);
    rig.loop.runPending();
    rig.advance(Duration.ofSeconds(5));
    rig.offer("a1", "cpus:1;mem:128");

    assertThat(rig.task("web-2").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("web-2").attempt()).isEqualTo(2);
    assertThat(rig.backend.launches()).isEmpty(); // web-2 attempt 2 never launched
    assertThat(rig.backend.kills()).isEmpty(); // nothing launched, nothing to ask Mesos
    assertThat(events).isEmpty();
    assertThat(service.ended()).isNotDone();
  }

  @Test
  void scalingToZeroKeepsTheServiceStartedWithoutInstances() {
    Service service = running(service(2));

    service.scale(0);
    rig.loop.runPending();
    rig.update("web-2.1", TaskState.KILLED);
    rig.update("web-1.1", TaskState.KILLED);

    assertThat(service.instances()).isEmpty();
    assertThat(rig.backend.kills()).containsExactly("web-2.1", "web-1.1");
    assertThat(service.ended()).isNotDone();
    assertThat(events).isEmpty();

    service.scale(1);
    assertThat(service.instances()).isEqualTo(ids("web-3"));
  }

  @Test
  void scalingUpAfterAScaleDownUsesNewNamesNeverTheFreedOnes() {
    Service service = running(service(3));

    service.scale(1);
    rig.loop.runPending();
    service.scale(3);
    rig.loop.runPending();

    assertThat(service.instances()).isEqualTo(ids("web-1", "web-4", "web-5"));
    assertThat(rig.framework.tasks()).extracting(Task::name)
        .containsExactly("web-1", "web-2", "web-3", "web-4", "web-5");
    rig.offer("a2", "cpus:2;mem:256");
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec)
        .containsExactly(instanceSpec("web-4"), instanceSpec("web-5"));
    rig.clearCalls();

    service.scale(1);
    rig.loop.runPending();
    assertThat(rig.backend.kills()).containsExactly("web-5.1", "web-4.1");
    assertThat(service.instances()).isEqualTo(ids("web-1"));
  }

  @Test
  void scalingToTheCurrentSizeDoesNothing() {
    Service service = running(service(2));

    service.scale(2);
    rig.loop.runPending();

    assertThat(rig.calls()).isEmpty();
    assertThat(rig.framework.tasks()).hasSize(2);
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2"));
  }

  @Test
  void stopAfterAScaleDownKillsAndReportsOnlyTheRemainingInstances() throws Exception {
    Service service = running(service(3));
    service.scale(1);
    rig.loop.runPending();
    rig.update("web-3.1", TaskState.KILLED);
    rig.update("web-2.1", TaskState.KILLED);
    rig.clearCalls();

    CompletableFuture<Service.Stopped> stopped =
        CompletableFuture.supplyAsync(() -> service.stop(Duration.ofSeconds(20)));
    runLoopUntil(() -> rig.backend.kills().size() == 1);
    rig.update("web-1.1", TaskState.KILLED);

    Service.Stopped result = stopped.get(10, TimeUnit.SECONDS);
    assertThat(rig.backend.kills()).containsExactly("web-1.1");
    assertThat(result.instances()).extracting(Task::name).containsExactly("web-1");
    assertThat(result.allKilled()).isTrue();
    assertThat(service.ended()).isNotDone();
  }

  @Test
  void scaleBeforeStartIsRefused() {
    Service service = service(2).build();

    assertThatThrownBy(() -> service.scale(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web cannot scale: it is not started");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2"));
  }

  @Test
  void scaleAfterStopIsRefused() {
    Service service = running(service(1));
    service.stop(Duration.ZERO);
    rig.loop.runPending();
    rig.clearCalls();

    assertThatThrownBy(() -> service.scale(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web cannot scale: it is stopped");
    rig.loop.runPending();
    assertThat(rig.calls()).isEmpty();
    assertThat(rig.framework.tasks()).hasSize(1);
  }

  @Test
  void refusesANegativeCount() {
    Service service = running(service(1));

    assertThatThrownBy(() -> service.scale(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instances must be >= 0 but was -1");
    assertThat(service.instances()).isEqualTo(ids("web-1"));
  }

  @Test
  void scaleWorksFromACallbackOnTheEventThread() {
    Service[] holder = new Service[1];
    Service service = service(1)
        .onRunning(t -> {
          events.add("running " + t.id());
          if (t.id().value().equals("web-1")) {
            holder[0].scale(2);
          }
        })
        .build();
    holder[0] = service;
    rig.start(rig.builder().listener(service));
    rig.subscribed();
    service.start(rig.framework);
    rig.offer("a1", "cpus:1;mem:128");

    rig.update("web-1.1", TaskState.RUNNING);
    rig.offer("a1", "cpus:1;mem:128");
    rig.update("web-2.1", TaskState.RUNNING);

    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2"));
    assertThat(events).containsExactly("running web-1", "running web-2");
  }

  @Test
  void concurrentScalesFromManyThreadsLeaveAConsistentSet() throws Exception {
    Service service = running(service(2));
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int seed = i;
      done.add(CompletableFuture.runAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (int j = 0; j < 50; j++) {
          service.scale((seed + j) % 5);
        }
      }));
    }
    go.countDown();
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    service.scale(3);
    rig.loop.runPending();

    List<TaskId> current = service.instances();
    assertThat(current).hasSize(3);
    List<Integer> numbers = current.stream()
        .map(id -> Integer.parseInt(id.value().substring("web-".length()))).toList();
    assertThat(numbers).isSorted();
    List<Task> all = rig.framework.tasks();
    assertThat(new HashSet<>(all.stream().map(Task::id).toList())).hasSize(all.size());
    for (Task t : all) {
      if (current.contains(t.id())) {
        assertThat(t.done()).as(t.id() + " runs").isFalse();
      } else if (t.agentId().isPresent()) { // launched: killed once Mesos confirms
        assertThat(rig.backend.kills()).as(t.id() + " killed").contains(t.id() + ".1");
      } else { // pending: ended at once
        assertThat(t.state()).as(t.id() + " killed").isEqualTo(TaskState.KILLED);
      }
    }
    assertThat(events).isEmpty();
    assertThat(service.ended()).isNotDone();
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
