package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.http.testing.FakeMaster;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

/**
 * The whole chain over real HTTP: Framework, HttpSchedulerBackend, and fake masters that move
 * leadership, drop streams and stop heartbeating in the middle of a run.
 */
class HttpBackendFrameworkTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static HttpSchedulerBackend backend(URI... masters) {
    return HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(masters)))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
  }

  private static Framework framework(HttpSchedulerBackend backend, FrameworkIdStore store) {
    return Framework.builder()
        .name("e2e")
        .backend(backend)
        .frameworkIdStore(store)
        .refuse(Duration.ofSeconds(1))
        .reconcileBackoff(Duration.ofMillis(300), Duration.ofSeconds(2))
        .build();
  }

  private static TaskSpec task(String id) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:1;mem:128").command("true").build();
  }

  private static List<String> launchedTaskIds(FakeMaster... masters) {
    List<String> ids = new ArrayList<>();
    for (FakeMaster m : masters) {
      for (Call c : m.calls(Call.Type.ACCEPT)) {
        for (Protos.TaskInfo t : c.getAccept().getOperations(0).getLaunch().getTaskInfosList()) {
          ids.add(t.getTaskId().getValue());
        }
      }
    }
    return ids;
  }

  private static boolean reconciles(Call c, String... taskIds) {
    return c.getReconcile().getTasksList().stream().map(t -> t.getTaskId().getValue()).toList()
        .containsAll(List.of(taskIds));
  }

  @Test
  void survivesDroppedStreamsLeaderChangesAndSilentMastersWithoutLosingOrDoublingTasks()
      throws Exception {
    try (FakeMaster a = FakeMaster.start(); FakeMaster b = FakeMaster.start()) {
      a.assignFrameworkId("fw-e2e");
      b.redirectTo(a.uri());
      FrameworkIdStore store = FrameworkIdStore.inMemory();
      Framework fw = framework(backend(a.uri(), b.uri()), store);
      fw.start();
      TaskId t1 = fw.submit(task("t1"));
      TaskId t2 = fw.submit(task("t2"));
      TaskId t3 = fw.submit(task("t3"));
      a.awaitSubscriptions(1, WAIT);

      // Offers, launch, an update that is acknowledged.
      a.send(FakeMaster.offers(FakeMaster.offer("o1", "agent-1", 4, 1024, 31000, 31010)));
      Call accept = a.awaitCall(Call.Type.ACCEPT, WAIT);
      assertThat(accept.getAccept().getOfferIdsList()).extracting(Protos.OfferID::getValue)
          .containsExactly("o1");
      a.send(FakeMaster.update("t1.1", "agent-1", Protos.TaskState.TASK_RUNNING, new byte[] {1}));
      a.awaitCall(Call.Type.ACKNOWLEDGE, c -> c.getAcknowledge().getTaskId().getValue()
          .equals("t1.1"), WAIT);
      assertThat(store.load()).contains("fw-e2e");

      // The stream drops: resubscribe with the same id, reconcile every launched task.
      a.dropStream();
      a.awaitSubscriptions(2, WAIT);
      assertThat(a.calls(Call.Type.SUBSCRIBE).get(1).getFrameworkId().getValue())
          .isEqualTo("fw-e2e");
      a.awaitCall(Call.Type.RECONCILE, c -> reconciles(c, "t1.1", "t2.1", "t3.1"), WAIT);
      a.send(FakeMaster.update("t2.1", "agent-1", Protos.TaskState.TASK_RUNNING, null));

      // Leadership moves from a to b in the middle of the run.
      b.redirectTo(null);
      b.heartbeatInterval(Duration.ofMillis(100));
      a.redirectTo(b.uri());
      a.dropStream();
      b.awaitSubscriptions(1, WAIT);
      Call moved = b.calls(Call.Type.SUBSCRIBE).get(0);
      assertThat(moved.getFrameworkId().getValue()).isEqualTo("fw-e2e");
      assertThat(moved.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo("fw-e2e");
      b.awaitCall(Call.Type.RECONCILE, c -> reconciles(c, "t1.1", "t2.1", "t3.1"), WAIT);

      // b goes silent: after about five missed heartbeats the backend subscribes again.
      b.heartbeats(false);
      b.awaitSubscriptions(2, WAIT);
      b.heartbeats(true);

      // Every task finishes; each update acknowledged at the master that sent it.
      for (String t : List.of("t1.1", "t2.1", "t3.1")) {
        b.send(FakeMaster.update(t, "agent-1", Protos.TaskState.TASK_FINISHED,
            t.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      for (TaskId id : List.of(t1, t2, t3)) {
        Task done = fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(done.state()).isEqualTo(TaskState.FINISHED);
        assertThat(done.attempt()).isEqualTo(1);
      }
      for (String t : List.of("t1.1", "t2.1", "t3.1")) {
        b.awaitCall(Call.Type.ACKNOWLEDGE,
            c -> c.getAcknowledge().getUuid().toStringUtf8().equals(t), WAIT);
      }

      fw.finish();
      assertThat(fw.awaitTermination(WAIT)).isTrue();
      assertThat(b.calls(Call.Type.TEARDOWN)).hasSize(1);
      assertThat(launchedTaskIds(a, b)).containsExactly("t1.1", "t2.1", "t3.1");
      assertThat(store.load()).isEmpty();
    }
  }

  @Test
  void aRestartedSchedulerFailsOverAndAdoptsItsRunningTasksInsteadOfRelaunchingThem()
      throws Exception {
    try (FakeMaster master = FakeMaster.start()) {
      master.assignFrameworkId("fw-restart");
      FrameworkIdStore store = FrameworkIdStore.inMemory();

      Framework first = framework(backend(master.uri()), store);
      first.start();
      first.submit(task("web"));
      first.submit(task("batch"));
      master.awaitSubscriptions(1, WAIT);
      master.send(FakeMaster.offers(FakeMaster.offer("o1", "agent-1", 4, 1024, 31000, 31010)));
      master.awaitCall(Call.Type.ACCEPT, WAIT);
      master.send(FakeMaster.update("web.1", "agent-1", Protos.TaskState.TASK_RUNNING,
          new byte[] {1}));
      master.awaitCall(Call.Type.ACKNOWLEDGE, WAIT);
      first.close(); // the scheduler process dies; no teardown
      assertThat(master.calls(Call.Type.TEARDOWN)).isEmpty();

      Framework second = framework(backend(master.uri()), store);
      second.start();
      TaskId web = second.submit(task("web"));
      TaskId batch = second.submit(task("batch"));
      master.awaitSubscriptions(2, WAIT);
      Call resubscribe = master.calls(Call.Type.SUBSCRIBE).get(1);
      assertThat(resubscribe.getFrameworkId().getValue()).isEqualTo("fw-restart");
      assertThat(resubscribe.getSubscribe().getFrameworkInfo().getId().getValue())
          .isEqualTo("fw-restart");
      assertThat(resubscribe.getSubscribe().getFrameworkInfo().getFailoverTimeout())
          .isEqualTo(604800.0);

      // Implicit reconciliation first, then the held tasks explicitly.
      master.awaitCall(Call.Type.RECONCILE, c -> c.getReconcile().getTasksCount() == 0, WAIT);
      master.awaitCall(Call.Type.RECONCILE, c -> reconciles(c, "web.1", "batch.1"), WAIT);
      // The master knows web.1 (running) and batch.1 (running, launched but never updated).
      master.send(FakeMaster.update("web.1", "agent-1", Protos.TaskState.TASK_RUNNING, null));
      master.send(FakeMaster.update("batch.1", "agent-1", Protos.TaskState.TASK_STAGING, null));
      master.send(FakeMaster.offers(FakeMaster.offer("o2", "agent-1", 2, 768, 31011, 31020)));
      Call decline = master.awaitCall(Call.Type.DECLINE, WAIT);
      assertThat(decline.getDecline().getOfferIdsList()).extracting(Protos.OfferID::getValue)
          .containsExactly("o2");

      master.send(FakeMaster.update("web.1", "agent-1", Protos.TaskState.TASK_FINISHED,
          new byte[] {2}));
      master.send(FakeMaster.update("batch.1", "agent-1", Protos.TaskState.TASK_FINISHED,
          new byte[] {3}));
      assertThat(second.outcome(web).get(WAIT.toSeconds(), TimeUnit.SECONDS).state())
          .isEqualTo(TaskState.FINISHED);
      assertThat(second.outcome(batch).get(WAIT.toSeconds(), TimeUnit.SECONDS).state())
          .isEqualTo(TaskState.FINISHED);
      assertThat(launchedTaskIds(master)).containsExactly("web.1", "batch.1");
      second.close();
    }
  }

  @Test
  void aRestartedSchedulerLaunchesTasksTheMasterDoesNotKnow() throws Exception {
    try (FakeMaster master = FakeMaster.start()) {
      FrameworkIdStore store = FrameworkIdStore.inMemory();
      store.save("fw-old");
      Framework fw = framework(backend(master.uri()), store);
      fw.start();
      TaskId t = fw.submit(task("fresh"));
      master.awaitCall(Call.Type.RECONCILE, c -> reconciles(c, "fresh.1"), WAIT);
      master.send(FakeMaster.offers(FakeMaster.offer("o1", "agent-1", 2, 512, 31000, 31001)));
      master.awaitCall(Call.Type.DECLINE, WAIT);
      assertThat(launchedTaskIds(master)).as("held until the master answers").isEmpty();

      master.send(FakeMaster.update("fresh.1", "agent-1", Protos.TaskState.TASK_UNKNOWN, null));
      master.awaitCall(Call.Type.REVIVE, WAIT);
      master.send(FakeMaster.offers(FakeMaster.offer("o2", "agent-1", 2, 512, 31000, 31001)));
      master.awaitCall(Call.Type.ACCEPT, WAIT);
      assertThat(launchedTaskIds(master)).containsExactly("fresh.1");
      assertThat(fw.task(t).orElseThrow().attempt()).isEqualTo(1);
      fw.close();
    }
  }
}
