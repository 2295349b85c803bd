package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.StateStore;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Service#start} on a framework that recovered tasks from its state store: the service
 * adopts the instances that still run instead of submitting new ones, and never reuses a name.
 */
@Timeout(30)
class ServiceRecoveryTest {
  private static final RetryPolicy POLICY =
      RetryPolicy.builder().unlimitedAttempts().jitter(0).build();

  private final StateStore store = StateStore.inMemory();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  /** One scheduler run: a framework over the shared store with one service as its listener. */
  private final class Run {
    final ManualScheduler loop = new ManualScheduler();
    final FakeBackend backend = new FakeBackend();
    final Service service;
    final Framework framework;

    Run(int instances) {
      service = Service.builder().task(web()).instances(instances).retryPolicy(POLICY)
          .onRunning(t -> events.add("running " + t.id() + " attempt " + t.attempt()))
          .onRelaunch(t -> events.add("relaunch " + t.id()))
          .onEnd(t -> events.add("end " + t.id() + " " + t.state()))
          .build();
      framework = Framework.builder().name("web").backend(backend).executor(loop)
          .clock(loop.clock()).random(new Random(7)).stateStore(store).listener(service)
          .build();
    }

    /** Starts the framework (recovering the store's tasks), subscribes, starts the service. */
    Run start() {
      framework.start();
      loop.runPending();
      backend.subscribed("fw-1");
      loop.runPending();
      service.start(framework);
      loop.runPending();
      return this;
    }

    void offer(String resources) {
      backend.offer("a1", resources);
      loop.runPending();
    }

    void update(String mesosTaskId, TaskState state) {
      backend.update(mesosTaskId, "a1", state, null, null);
      loop.runPending();
    }

    void answer(String mesosTaskId, TaskState state) {
      backend.reconciliationAnswer(mesosTaskId, "a1", state);
      loop.runPending();
    }
  }

  private static TaskSpec web() {
    return TaskSpec.builder().name("web").resources("cpus:1;mem:128").command("serve").build();
  }

  private static List<TaskId> ids(String... ids) {
    return java.util.Arrays.stream(ids).map(TaskId::of).toList();
  }

  /** A first run: 3 instances scaled to 5, then to 2, every kill confirmed; then closed. */
  private void firstRunScaledTo5AndBackTo2() {
    Run first = new Run(3).start();
    first.offer("cpus:8;mem:1024");
    first.update("web-1.1", TaskState.RUNNING);
    first.update("web-2.1", TaskState.RUNNING);
    first.update("web-3.1", TaskState.RUNNING);
    first.service.scale(5);
    first.loop.runPending();
    first.offer("cpus:8;mem:1024");
    first.update("web-4.1", TaskState.RUNNING);
    first.update("web-5.1", TaskState.RUNNING);
    first.service.scale(2);
    first.loop.runPending();
    first.update("web-5.1", TaskState.KILLED);
    first.update("web-4.1", TaskState.KILLED);
    first.update("web-3.1", TaskState.KILLED);
    assertThat(first.service.instances()).isEqualTo(ids("web-1", "web-2"));
    first.framework.close(); // keeps the tasks: no finish(), no stop()
    events.clear();
  }

  @Test
  void aRestartedServiceAdoptsTheInstancesThatStillRunAndNumbersNewOnesAfterEveryName() {
    firstRunScaledTo5AndBackTo2();

    Run second = new Run(3);
    String log = capturingErr(second::start);

    assertThat(second.service.instances()).isEqualTo(ids("web-1", "web-2"));
    assertThat(log).contains("INFO dev.mesoskit.core.Service - service recovered instances"
        + " service=web instances=[web-1, web-2]");
    assertThat(second.framework.tasks()).extracting(t -> t.id().value())
        .containsExactly("web-1", "web-2", "web-3", "web-4", "web-5"); // nothing submitted
    assertThat(second.service).hasToString("Service[web x2]");

    second.answer("web-1.1", TaskState.RUNNING);
    second.answer("web-2.1", TaskState.RUNNING);
    assertThat(events).containsExactly("running web-1 attempt 1", "running web-2 attempt 1");

    second.service.scale(3);
    second.loop.runPending();
    assertThat(second.service.instances()).isEqualTo(ids("web-1", "web-2", "web-6"));
    second.offer("cpus:8;mem:1024");
    assertThat(second.backend.launches()).extracting(TaskLaunch::mesosTaskId)
        .containsExactly("web-6.1");
    second.update("web-6.1", TaskState.RUNNING);
    assertThat(events).endsWith("running web-6 attempt 1");
    assertThat(second.service.ended()).isNotDone();
  }

  @Test
  void anAdoptedInstanceThatDiesIsRelaunchedUnderTheServicesRetryPolicy() {
    firstRunScaledTo5AndBackTo2();
    Run second = new Run(3).start();
    second.answer("web-1.1", TaskState.RUNNING);
    second.answer("web-2.1", TaskState.RUNNING);

    second.update("web-2.1", TaskState.FAILED);
    second.loop.advance(java.time.Duration.ofSeconds(1));
    second.offer("cpus:8;mem:1024");
    second.update("web-2.2", TaskState.RUNNING);

    assertThat(events).containsExactly("running web-1 attempt 1", "running web-2 attempt 1",
        "relaunch web-2", "running web-2 attempt 2");
    assertThat(second.service.ended()).isNotDone();
  }

  @Test
  void aServiceNotStartedYetRunsNoCallbackForARecoveredTaskOfItsName() {
    firstRunScaledTo5AndBackTo2();
    Run second = new Run(1);
    second.framework.start();
    second.loop.runPending();
    second.backend.subscribed("fw-1");
    second.loop.runPending();

    second.answer("web-1.1", TaskState.RUNNING);
    second.update("web-1.1", TaskState.FAILED);
    assertThat(events).isEmpty();

    second.service.start(second.framework);
    assertThat(second.service.instances()).isEqualTo(ids("web-1", "web-2"));
    second.answer("web-2.1", TaskState.RUNNING);
    assertThat(events).containsExactly("running web-2 attempt 1");
  }

  @Test
  void aServiceWhoseEarlierInstancesAllEndedSubmitsItsSizeAfterTheirNumbers() {
    Run first = new Run(2).start();
    first.service.stop(java.time.Duration.ZERO); // pending: KILLED at once
    first.loop.runPending();
    first.framework.close();

    Run second = new Run(3).start();

    assertThat(second.service.instances()).isEqualTo(ids("web-3", "web-4", "web-5"));
    assertThat(second.framework.tasks()).extracting(t -> t.id().value() + " " + t.state())
        .containsExactly("web-1 KILLED", "web-2 KILLED", "web-3 PENDING", "web-4 PENDING",
            "web-5 PENDING");
  }

  @Test
  void aServiceOnAFrameworkWithoutEarlierTasksSubmitsOneToN() {
    Run run = new Run(3).start();

    assertThat(run.service.instances()).isEqualTo(ids("web-1", "web-2", "web-3"));
    assertThat(run.framework.tasks()).extracting(t -> t.id().value())
        .containsExactly("web-1", "web-2", "web-3");
  }

  /** What {@code action} wrote to System.err, where the tests' slf4j-simple logs. */
  private static String capturingErr(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = buffer.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }
}
