package dev.mesoskit.core.jni;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.http.V1Conversions;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import org.apache.mesos.Protos;

/**
 * Converts between MesosKit's values and the v0 messages of the libmesos driver. v0 and v1
 * messages are wire-compatible ({@code SlaveID} is {@code AgentID}), so every conversion builds
 * the v1 message with {@link V1Conversions} and re-parses its bytes as v0, or the other way round.
 *
 * <p>Stateless; safe from any thread.
 */
final class V0Conversions {
  /**
   * The state put in the {@code TaskStatus} of acknowledgements and reconciliation requests.
   * libmesos and the master read only {@code task_id}, {@code slave_id} and {@code uuid} there,
   * but {@code state} is a required field of the message, so it needs some value.
   */
  static final Protos.TaskState UNREAD_STATE = Protos.TaskState.TASK_RUNNING;

  private V0Conversions() {}

  static Protos.FrameworkInfo frameworkInfo(FrameworkInfo info) {
    return reparse(V1Conversions.frameworkInfo(info), Protos.FrameworkInfo.parser(),
        "FrameworkInfo");
  }

  static Protos.TaskInfo taskInfo(TaskLaunch launch) {
    return reparse(V1Conversions.taskInfo(launch), Protos.TaskInfo.parser(), "TaskInfo");
  }

  /** The LAUNCH_GROUP operation of a pod, as {@link V1Conversions#launchGroup} builds it. */
  static Protos.Offer.Operation launchGroup(TaskGroupLaunch group, String frameworkId) {
    return reparse(V1Conversions.launchGroup(group, frameworkId),
        Protos.Offer.Operation.parser(), "Offer.Operation");
  }

  /** The capability names of a framework, as the executor driver hands it over. */
  static java.util.Set<String> capabilities(Protos.FrameworkInfo info) {
    return V1Conversions.capabilities(
        reparse(info, org.apache.mesos.v1.Protos.FrameworkInfo.parser(), "FrameworkInfo"));
  }

  static Protos.Filters filters(Duration refuse) {
    return reparse(V1Conversions.filters(refuse), Protos.Filters.parser(), "Filters");
  }

  static Offer offer(Protos.Offer offer) {
    return V1Conversions.offer(
        reparse(offer, org.apache.mesos.v1.Protos.Offer.parser(), "Offer"));
  }

  static TaskStatus taskStatus(Protos.TaskStatus status) {
    return V1Conversions.taskStatus(
        reparse(status, org.apache.mesos.v1.Protos.TaskStatus.parser(), "TaskStatus"));
  }

  /** A task the executor driver hands over, as MesosKit sees it. */
  static LaunchedTask launchedTask(Protos.TaskInfo task, String frameworkId, String executorId) {
    return V1Conversions.launchedTask(
        reparse(task, org.apache.mesos.v1.Protos.TaskInfo.parser(), "TaskInfo"),
        frameworkId, executorId);
  }

  /** The status {@code ExecutorDriver.sendStatusUpdate} takes. */
  static Protos.TaskStatus executorStatus(TaskStatus status) {
    return reparse(V1Conversions.taskStatusMessage(status), Protos.TaskStatus.parser(),
        "TaskStatus");
  }

  /** The status {@code acknowledgeStatusUpdate} takes: task, agent and uuid of the update. */
  static Protos.TaskStatus acknowledgement(String agentId, String mesosTaskId, byte[] uuid) {
    return Protos.TaskStatus.newBuilder()
        .setTaskId(taskId(mesosTaskId))
        .setSlaveId(agentId(agentId))
        .setUuid(ByteString.copyFrom(uuid))
        .setState(UNREAD_STATE)
        .build();
  }

  /** The status {@code reconcileTasks} takes for one task: its id and, when known, its agent. */
  static Protos.TaskStatus reconciliation(ReconcileTask task) {
    Protos.TaskStatus.Builder b = Protos.TaskStatus.newBuilder()
        .setTaskId(taskId(task.mesosTaskId()))
        .setState(UNREAD_STATE);
    task.agentId().ifPresent(a -> b.setSlaveId(agentId(a)));
    return b.build();
  }

  static Protos.OfferID offerId(String id) {
    return Protos.OfferID.newBuilder().setValue(id).build();
  }

  static Protos.TaskID taskId(String id) {
    return Protos.TaskID.newBuilder().setValue(id).build();
  }

  static Protos.SlaveID agentId(String id) {
    return Protos.SlaveID.newBuilder().setValue(id).build();
  }

  static Protos.ExecutorID executorId(String id) {
    return Protos.ExecutorID.newBuilder().setValue(id).build();
  }

  private static <T> T reparse(MessageLite message, Parser<T> parser, String what) {
    try {
      return parser.parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new MesosKitException("cannot convert a " + what
          + " between the v0 and v1 Mesos messages: " + e.getMessage(), e);
    }
  }
}
