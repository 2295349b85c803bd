package dev.mesoskit.core.http;

import dev.mesoskit.core.spi.LaunchedTask;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * One executor event as read from the agent's stream: either decoded straight from its bytes into
 * MesosKit values by {@link WireExecutorDecoder} (every event type the executor acts on), or
 * parsed into the generated message (anything the decoder does not map whole), which
 * {@link HttpExecutorBackend} converts as it always did.
 *
 * <p>Immutable, but for the byte arrays it hands out (no copies: they are its own, made when it
 * was decoded); safe from any thread.
 */
final class WireExecutorEvent {
  /** The type numbers of {@code Event.Type}, as decoded. */
  static final int SUBSCRIBED = Event.Type.SUBSCRIBED_VALUE;
  static final int LAUNCH = Event.Type.LAUNCH_VALUE;
  static final int LAUNCH_GROUP = Event.Type.LAUNCH_GROUP_VALUE;
  static final int KILL = Event.Type.KILL_VALUE;
  static final int ACKNOWLEDGED = Event.Type.ACKNOWLEDGED_VALUE;
  static final int MESSAGE = Event.Type.MESSAGE_VALUE;
  static final int ERROR = Event.Type.ERROR_VALUE;
  static final int SHUTDOWN = Event.Type.SHUTDOWN_VALUE;
  static final int HEARTBEAT = Event.Type.HEARTBEAT_VALUE;
  /** A parsed event of a type the executor does not act on. */
  static final int OTHER = -1;

  static final WireExecutorEvent SHUTDOWN_EVENT =
      new WireExecutorEvent(SHUTDOWN, null, null, null, null, null, null, null);
  static final WireExecutorEvent HEARTBEAT_EVENT =
      new WireExecutorEvent(HEARTBEAT, null, null, null, null, null, null, null);

  /**
   * SUBSCRIBED's fields the executor reads.
   *
   * @param frameworkId {@code framework_info.id}, if present
   * @param agentId {@code agent_info.id}, empty when absent (as the generated getter gives it)
   * @param hostname {@code agent_info.hostname}
   * @param capabilities the names of {@code framework_info.capabilities} as
   *     {@link V1Conversions#capabilities} makes them
   */
  record Subscribed(Optional<String> frameworkId, String agentId, String hostname,
      Set<String> capabilities) {}

  /**
   * A task of LAUNCH or LAUNCH_GROUP.
   *
   * @param task the task as {@link V1Conversions#launchedTask} makes it
   * @param taskInfo the task's {@code TaskInfo} exactly as it came, for SUBSCRIBE's
   *     {@code unacknowledged_tasks}
   */
  record Task(LaunchedTask task, byte[] taskInfo) {}

  private final int type;
  private final Event parsed;
  private final Subscribed subscribed;
  private final List<Task> tasks;
  /** KILL's and ACKNOWLEDGED's task id. */
  private final String taskId;
  private final Optional<Duration> killGrace;
  /** ACKNOWLEDGED's uuid or MESSAGE's data. */
  private final byte[] bytes;
  /** ERROR's message. */
  private final String text;

  private WireExecutorEvent(int type, Event parsed, Subscribed subscribed, List<Task> tasks,
      String taskId, Optional<Duration> killGrace, byte[] bytes, String text) {
    this.type = type;
    this.parsed = parsed;
    this.subscribed = subscribed;
    this.tasks = tasks;
    this.taskId = taskId;
    this.killGrace = killGrace;
    this.bytes = bytes;
    this.text = text;
  }

  /** An event parsed by protobuf; converted when dispatched. */
  static WireExecutorEvent parsed(Event event) {
    int type = switch (event.getType()) {
      case SUBSCRIBED, LAUNCH, LAUNCH_GROUP, KILL, ACKNOWLEDGED, MESSAGE, ERROR, SHUTDOWN,
          HEARTBEAT -> event.getType().getNumber();
      default -> OTHER;
    };
    return new WireExecutorEvent(type, event, null, null, null, null, null, null);
  }

  static WireExecutorEvent subscribed(Subscribed s) {
    return new WireExecutorEvent(SUBSCRIBED, null, s, null, null, null, null, null);
  }

  /** LAUNCH (one task) or LAUNCH_GROUP (the group's tasks, in order). */
  static WireExecutorEvent launch(int type, List<Task> tasks) {
    return new WireExecutorEvent(type, null, null, List.copyOf(tasks), null, null, null, null);
  }

  static WireExecutorEvent kill(String taskId, Optional<Duration> grace) {
    return new WireExecutorEvent(KILL, null, null, null, taskId, grace, null, null);
  }

  static WireExecutorEvent acknowledged(String taskId, byte[] uuid) {
    return new WireExecutorEvent(ACKNOWLEDGED, null, null, null, taskId, null, uuid, null);
  }

  static WireExecutorEvent message(byte[] data) {
    return new WireExecutorEvent(MESSAGE, null, null, null, null, null, data, null);
  }

  static WireExecutorEvent error(String message) {
    return new WireExecutorEvent(ERROR, null, null, null, null, null, null, message);
  }

  /**
   * The event converted from the parsed message field for field as the backend converts it: what
   * a decoded event must equal.
   *
   * @param event the parsed event, of a type and shape the decoder maps
   * @param frameworkId the executor's framework
   * @param executorId the executor
   */
  static WireExecutorEvent converted(Event event, String frameworkId, String executorId) {
    return switch (event.getType()) {
      case SUBSCRIBED -> subscribed(new Subscribed(
          event.getSubscribed().getFrameworkInfo().hasId()
              ? Optional.of(event.getSubscribed().getFrameworkInfo().getId().getValue())
              : Optional.empty(),
          event.getSubscribed().getAgentInfo().getId().getValue(),
          event.getSubscribed().getAgentInfo().getHostname(),
          V1Conversions.capabilities(event.getSubscribed().getFrameworkInfo())));
      case LAUNCH -> launch(LAUNCH, List.of(new Task(V1Conversions.launchedTask(
          event.getLaunch().getTask(), frameworkId, executorId),
          event.getLaunch().getTask().toByteArray())));
      case LAUNCH_GROUP -> launch(LAUNCH_GROUP, event.getLaunchGroup().getTaskGroup()
          .getTasksList().stream()
          .map(t -> new Task(V1Conversions.launchedTask(t, frameworkId, executorId),
              t.toByteArray()))
          .toList());
      case KILL -> kill(event.getKill().getTaskId().getValue(),
          event.getKill().hasKillPolicy() && event.getKill().getKillPolicy().hasGracePeriod()
              ? Optional.of(Duration.ofNanos(Math.max(0,
                  event.getKill().getKillPolicy().getGracePeriod().getNanoseconds())))
              : Optional.empty());
      case ACKNOWLEDGED -> acknowledged(event.getAcknowledged().getTaskId().getValue(),
          event.getAcknowledged().getUuid().toByteArray());
      case MESSAGE -> message(event.getMessage().getData().toByteArray());
      case ERROR -> error(event.getError().getMessage());
      case SHUTDOWN -> SHUTDOWN_EVENT;
      case HEARTBEAT -> HEARTBEAT_EVENT;
      default -> throw new IllegalArgumentException("type must be one the executor acts on but"
          + " was " + event.getType());
    };
  }

  /** The type's number in {@code Event.Type}. */
  int type() {
    return type;
  }

  /** The type's name, for logs and messages. */
  String typeName() {
    return switch (type) {
      case SUBSCRIBED -> "SUBSCRIBED";
      case LAUNCH -> "LAUNCH";
      case LAUNCH_GROUP -> "LAUNCH_GROUP";
      case KILL -> "KILL";
      case ACKNOWLEDGED -> "ACKNOWLEDGED";
      case MESSAGE -> "MESSAGE";
      case ERROR -> "ERROR";
      case SHUTDOWN -> "SHUTDOWN";
      case HEARTBEAT -> "HEARTBEAT";
      default -> parsed != null ? parsed.getType().name() : "type " + type;
    };
  }

  /** The parsed message; null for an event decoded straight into values. */
  Event parsed() {
    return parsed;
  }

  Subscribed subscribed() {
    return subscribed;
  }

  List<Task> tasks() {
    return tasks;
  }

  String taskId() {
    return taskId;
  }

  Optional<Duration> killGrace() {
    return killGrace;
  }

  /** ACKNOWLEDGED's uuid or MESSAGE's data. */
  byte[] bytes() {
    return bytes;
  }

  /** ERROR's message. */
  String text() {
    return text;
  }

  /**
   * Whether this decoded event holds the same values as {@code other}: byte arrays by content,
   * each task's resources in order, and each task's {@code TaskInfo} as the message its bytes
   * parse to (bytes that came with unknown fields or in another field order re-serialize
   * differently).
   */
  boolean sameValues(WireExecutorEvent other) {
    if (type != other.type || !Objects.equals(subscribed, other.subscribed)
        || !Objects.equals(taskId, other.taskId) || !Objects.equals(killGrace, other.killGrace)
        || !Arrays.equals(bytes, other.bytes) || !Objects.equals(text, other.text)
        || (tasks == null) != (other.tasks == null)) {
      return false;
    }
    if (tasks == null) {
      return true;
    }
    if (tasks.size() != other.tasks.size()) {
      return false;
    }
    for (int i = 0; i < tasks.size(); i++) {
      Task a = tasks.get(i);
      Task b = other.tasks.get(i);
      if (!a.task().equals(b.task())
          || !a.task().resources().list().equals(b.task().resources().list())
          || !sameTaskInfo(a.taskInfo(), b.taskInfo())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameTaskInfo(byte[] a, byte[] b) {
    try {
      return org.apache.mesos.v1.Protos.TaskInfo.parseFrom(a)
          .equals(org.apache.mesos.v1.Protos.TaskInfo.parseFrom(b));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    if (parsed != null) {
      return "parsed " + typeName();
    }
    StringBuilder s = new StringBuilder(typeName());
    if (subscribed != null) {
      s.append(' ').append(subscribed);
    }
    if (tasks != null) {
      tasks.forEach(t -> s.append(' ').append(t.task()));
    }
    if (taskId != null) {
      s.append(" task=").append(taskId);
    }
    if (killGrace != null) {
      s.append(" grace=").append(killGrace);
    }
    if (bytes != null) {
      s.append(" bytes=").append(Arrays.toString(bytes));
    }
    if (text != null) {
      s.append(" text=").append(text);
    }
    return s.toString();
  }
}
