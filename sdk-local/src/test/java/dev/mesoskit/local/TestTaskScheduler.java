package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A raw v1 JSON scheduler for single-task scenarios, subscribed as the recorded Mesos scenarios
 * were (MULTI_ROLE, TASK_KILLING_STATE, PARTITION_AWARE): launches a task on an agent's offer,
 * acknowledges every update, and keeps the task's updates in order.
 */
final class TestTaskScheduler implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);

  final RawScheduler raw;
  final String frameworkId;
  /** Every update received, in order. */
  final List<Protos.TaskStatus> updates = new ArrayList<>();

  private TestTaskScheduler(RawScheduler raw, String frameworkId) {
    this.raw = raw;
    this.frameworkId = frameworkId;
  }

  static TestTaskScheduler subscribe(LocalCluster cluster, String name) throws Exception {
    Protos.FrameworkInfo.Builder info = Protos.FrameworkInfo.newBuilder().setUser("root")
        .setName(name).addRoles("*");
    for (Protos.FrameworkInfo.Capability.Type type : List.of(
        Protos.FrameworkInfo.Capability.Type.MULTI_ROLE,
        Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE,
        Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE)) {
      info.addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(type));
    }
    RawScheduler raw = new RawScheduler(cluster.masterUri(), true).subscribe(Call.newBuilder()
        .setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
            .setFrameworkInfo(info)).build());
    String id = raw.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId()
        .getValue();
    return new TestTaskScheduler(raw, id);
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(frameworkId));
  }

  /** Launches a task (its agent id set here) on the first offer; returns the offer's agent. */
  String launch(Protos.TaskInfo.Builder task) throws Exception {
    Protos.Offer offer = raw.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
    task.setAgentId(offer.getAgentId());
    assertThat(raw.call(call(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH)
            .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task))))
        .build())).isEqualTo("202");
    return offer.getAgentId().getValue();
  }

  /** Kills the task. */
  void kill(String taskId, String agentId) throws Exception {
    assertThat(raw.call(call(Call.Type.KILL).setKill(Call.Kill.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))).build())).isEqualTo("202");
  }

  /** Receives and acknowledges updates until one matches; returns it. */
  Protos.TaskStatus awaitUpdate(Predicate<Protos.TaskStatus> match) throws Exception {
    while (true) {
      Protos.TaskStatus status = raw.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
      updates.add(status);
      if (status.hasUuid()) {
        assertThat(raw.call(call(Call.Type.ACKNOWLEDGE).setAcknowledge(
            Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
                .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build()))
            .isEqualTo("202");
      }
      if (match.test(status)) {
        return status;
      }
    }
  }

  /** Receives updates until the task's terminal one. */
  Protos.TaskStatus awaitTerminal() throws Exception {
    return awaitUpdate(s -> LocalAgent.isTerminal(s.getState()));
  }

  /**
   * The updates as the recordings' {@code updates_summary} shows them: state, source, reason,
   * healthy, message and check_status (as JSON), one line each.
   */
  List<String> summary() {
    return updates.stream().map(TestTaskScheduler::summary).toList();
  }

  static String summary(Protos.TaskStatus s) {
    StringBuilder line = new StringBuilder(s.getState() + " " + s.getSource());
    line.append(" reason=").append(s.hasReason() ? s.getReason().name() : "-");
    line.append(" healthy=").append(s.hasHealthy() ? String.valueOf(s.getHealthy()) : "-");
    line.append(" message=").append(s.hasMessage() ? s.getMessage() : "-");
    if (s.hasCheckStatus()) {
      try {
        line.append(" check_status=").append(JsonFormat.printer()
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace().print(s.getCheckStatus()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws Exception {
    raw.call(call(Call.Type.TEARDOWN).build());
    raw.close();
  }
}
