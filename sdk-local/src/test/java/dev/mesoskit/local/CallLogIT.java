package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalCluster#calls()} and {@link LocalCluster#launches()}: every scheduler call with its
 * stream id and status, refused ones too, and every task an agent started, as a fault test of a
 * highly available scheduler reads them.
 */
class CallLogIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private LocalCluster cluster;
  private final List<RawScheduler> schedulers = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]").start();
  }

  @AfterEach
  void stop() {
    schedulers.forEach(RawScheduler::close);
    cluster.close();
  }

  @Test
  void recordsEachCallWithItsStreamIdAndStatusAndEachTaskLaunchOnce() throws Exception {
    TwoTasks run = launchTwoTasksAndAcknowledge();

    List<SchedulerCallRecord> expected = new ArrayList<>();
    expected.add(new SchedulerCallRecord(1, "SUBSCRIBE", Optional.of(run.frameworkId),
        Optional.of(run.streamId), 200, List.of()));
    expected.add(new SchedulerCallRecord(2, "ACCEPT", Optional.of(run.frameworkId),
        Optional.of(run.streamId), 202, List.of("task-a", "task-b")));
    long sequence = 3;
    for (String taskId : run.acknowledged) {
      expected.add(new SchedulerCallRecord(sequence++, "ACKNOWLEDGE",
          Optional.of(run.frameworkId), Optional.of(run.streamId), 202, List.of(taskId)));
    }
    assertThat(run.acknowledged).hasSize(6);
    assertThat(cluster.calls()).containsExactlyElementsOf(expected);

    List<TaskLaunchRecord> launches = cluster.launches();
    assertThat(launches).extracting(TaskLaunchRecord::sequence).containsExactly(1L, 2L);
    assertThat(launches)
        .extracting(TaskLaunchRecord::agentId, TaskLaunchRecord::frameworkId,
            TaskLaunchRecord::taskId, TaskLaunchRecord::executorId)
        .containsExactlyInAnyOrder(
            tuple("agent-1", run.frameworkId, "task-a", "task-a"),
            tuple("agent-1", run.frameworkId, "task-b", "task-b"));
  }

  @Test
  void recordsACallOnTheStreamReplacedByAFailoverAsRefusedWithThatStreamId() throws Exception {
    TwoTasks run = launchTwoTasksAndAcknowledge();

    RawScheduler second = new RawScheduler(cluster.masterUri(), false);
    schedulers.add(second);
    Protos.FrameworkID id = Protos.FrameworkID.newBuilder().setValue(run.frameworkId).build();
    second.subscribe(subscribe(frameworkInfo().setId(id)).toBuilder().setFrameworkId(id).build());
    assertThat(second.subscribeStatus).isEqualTo(200);
    assertThat(second.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId()
        .getValue()).isEqualTo(run.frameworkId);
    assertThat(run.scheduler.next(Event.Type.ERROR, WAIT).getError().getMessage())
        .isEqualTo("Framework failed over");
    assertThat(second.streamId).isNotEqualTo(run.streamId);

    String answer = run.scheduler.call(Call.newBuilder().setType(Call.Type.KILL)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(run.frameworkId))
        .setKill(Call.Kill.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue("task-a")))
        .build());

    assertThat(answer).isEqualTo("400 The stream ID '" + run.streamId + "' included in this"
        + " request didn't match the stream ID currently associated with framework ID "
        + run.frameworkId);
    List<SchedulerCallRecord> calls = cluster.calls();
    assertThat(calls).hasSize(10);
    assertThat(calls.subList(8, 10)).containsExactly(
        new SchedulerCallRecord(9, "SUBSCRIBE", Optional.of(run.frameworkId),
            Optional.of(second.streamId), 200, List.of()),
        new SchedulerCallRecord(10, "KILL", Optional.of(run.frameworkId),
            Optional.of(run.streamId), 400, List.of("task-a")));
    assertThat(cluster.launches()).extracting(TaskLaunchRecord::taskId)
        .containsExactlyInAnyOrder("task-a", "task-b");
  }

  @Test
  void recordsABodyThatIsNotACallAsUnknownWithItsStatus() throws Exception {
    String answer = RawScheduler.post(cluster.masterUri(), "application/json",
        "application/json", "{".getBytes(StandardCharsets.UTF_8), "stream-1");

    assertThat(answer).startsWith("400 Failed to parse body into JSON");
    assertThat(cluster.calls()).containsExactly(new SchedulerCallRecord(1, "UNKNOWN",
        Optional.empty(), Optional.of("stream-1"), 400, List.of()));
    assertThat(cluster.launches()).isEmpty();
  }

  // ================================================================== the scenario

  /** What {@link #launchTwoTasksAndAcknowledge} leaves: its scheduler and what it acknowledged. */
  private record TwoTasks(RawScheduler scheduler, String frameworkId, String streamId,
      List<String> acknowledged) {}

  /**
   * Subscribes, launches command tasks task-a and task-b on the first offer, and acknowledges
   * every update until both finished.
   */
  private TwoTasks launchTwoTasksAndAcknowledge() throws Exception {
    RawScheduler scheduler = new RawScheduler(cluster.masterUri(), false);
    schedulers.add(scheduler);
    scheduler.subscribe(subscribe(frameworkInfo()));
    assertThat(scheduler.subscribeStatus).isEqualTo(200);
    String streamId = scheduler.streamId;
    Protos.FrameworkID frameworkId =
        scheduler.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId();
    Protos.Offer offer = scheduler.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);

    String accepted = scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT)
        .setFrameworkId(frameworkId)
        .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(Protos.Offer.Operation.newBuilder()
                .setType(Protos.Offer.Operation.Type.LAUNCH)
                .setLaunch(Protos.Offer.Operation.Launch.newBuilder()
                    .addTaskInfos(task("task-a", offer))
                    .addTaskInfos(task("task-b", offer)))))
        .build());
    assertThat(accepted).isEqualTo("202");

    List<String> acknowledged = new ArrayList<>();
    Set<String> finished = new HashSet<>();
    while (finished.size() < 2) {
      Protos.TaskStatus status = scheduler.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
      assertThat(status.getState()).isIn(Protos.TaskState.TASK_STARTING,
          Protos.TaskState.TASK_RUNNING, Protos.TaskState.TASK_FINISHED);
      assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
          .setFrameworkId(frameworkId)
          .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
              .setTaskId(status.getTaskId()).setUuid(status.getUuid()))
          .build())).isEqualTo("202");
      acknowledged.add(status.getTaskId().getValue());
      if (status.getState() == Protos.TaskState.TASK_FINISHED) {
        finished.add(status.getTaskId().getValue());
      }
    }
    return new TwoTasks(scheduler, frameworkId.getValue(), streamId, List.copyOf(acknowledged));
  }

  private static Protos.FrameworkInfo.Builder frameworkInfo() {
    return Protos.FrameworkInfo.newBuilder().setUser("root").setName("call-log-it")
        .setFailoverTimeout(3600);
  }

  private static Call subscribe(Protos.FrameworkInfo.Builder info) {
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
  }

  private static Protos.TaskInfo task(String id, Protos.Offer offer) {
    return Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(offer.getAgentId())
        .addResources(scalar("cpus", 0.1))
        .addResources(scalar("mem", 32))
        .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue("sleep 0"))
        .build();
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }
}
