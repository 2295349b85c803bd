package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import dev.mesoskit.local.LocalAgent.TaskKey;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.Protos.TaskStatus.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status updates of a {@link LocalAgent} on their way to its master, kept as a Mesos agent
 * keeps them: one stream per task, its oldest unacknowledged update sent and resent every
 * {@link AgentConfig#statusUpdateRetry()} until the scheduler acknowledges it, duplicates
 * dropped; and the updates the agent writes itself (SOURCE_AGENT, and SOURCE_EXECUTOR for the
 * built-in command executor).
 *
 * <p>Threading: called with the agent's lock held (the {@link LocalAgent} monitor), which also
 * guards the streams; the resend timer takes that same lock. Updates reach the master on the
 * agent's outbox thread.
 */
final class StatusUpdates {
  /** Logs as the agent, under whose name these lines have always been written. */
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

  /** The unacknowledged updates of one task, oldest first; the oldest is the one sent. */
  private static final class UpdateStream {
    final Protos.FrameworkID frameworkId;
    final ArrayDeque<TaskStatus> pending = new ArrayDeque<>();
    final Set<ByteString> received = new HashSet<>();
    ScheduledFuture<?> retry;

    UpdateStream(Protos.FrameworkID frameworkId) {
      this.frameworkId = frameworkId;
    }

    void cancelRetry() {
      if (retry != null) {
        retry.cancel(false);
        retry = null;
      }
    }
  }

  private final LocalAgent agent;
  /** The update stream of each task with unacknowledged updates; guarded by the agent's lock. */
  private final Map<TaskKey, UpdateStream> streams = new HashMap<>();

  StatusUpdates(LocalAgent agent) {
    this.agent = agent;
  }

  /**
   * Adds an update to its task's stream; sends it now when it is the oldest unacknowledged.
   * Holds the agent's lock.
   */
  void enqueue(Protos.FrameworkID frameworkId, TaskStatus status) {
    if (agent.closed || !agent.running(frameworkId)) {
      return;
    }
    TaskKey key = TaskKey.of(frameworkId, status.getTaskId());
    UpdateStream stream = streams.computeIfAbsent(key, k -> new UpdateStream(frameworkId));
    if (!stream.received.add(status.getUuid())) {
      LOG.warn("Ignoring duplicate status update agent={} task={} state={}", agent.config.id(),
          status.getTaskId().getValue(), status.getState());
      return;
    }
    TaskStatus previous = agent.latest.get(key);
    if (previous != null && !LocalAgent.isTerminal(previous.getState())) {
      agent.latest.put(key, status);
    }
    LOG.info("Status update agent={} framework={} task={} state={} source={} reason={} message={}",
        agent.config.id(), frameworkId.getValue(), status.getTaskId().getValue(),
        status.getState(), status.getSource(), status.hasReason() ? status.getReason() : "",
        status.getMessage());
    stream.pending.add(status);
    if (stream.pending.size() == 1) {
      forward(key, stream, status);
    }
  }

  /** Sends an update to the master, and again every retry interval until it is acknowledged. */
  private void forward(TaskKey key, UpdateStream stream, TaskStatus status) {
    Protos.FrameworkID frameworkId = stream.frameworkId;
    agent.deliver(() -> agent.master.statusUpdate(agent, frameworkId, status));
    long retry = agent.config.statusUpdateRetry().toNanos();
    stream.retry = agent.timers.scheduleWithFixedDelay(() -> resend(key, status.getUuid()), retry,
        retry, TimeUnit.NANOSECONDS);
  }

  private void resend(TaskKey key, ByteString uuid) {
    synchronized (agent) {
      UpdateStream stream = streams.get(key);
      TaskStatus head = stream == null ? null : stream.pending.peek();
      if (agent.closed || head == null || !head.getUuid().equals(uuid)) {
        return;
      }
      LOG.debug("Resending unacknowledged update agent={} task={} state={}", agent.config.id(),
          key.task(), head.getState());
      Protos.FrameworkID frameworkId = stream.frameworkId;
      agent.deliver(() -> agent.master.statusUpdate(agent, frameworkId, head));
    }
  }

  /**
   * The scheduler acknowledged an update: it leaves the task's stream and the next one goes out.
   * Holds the agent's lock.
   */
  void acknowledge(Protos.FrameworkID frameworkId, Protos.TaskID taskId, ByteString uuid) {
    TaskKey key = TaskKey.of(frameworkId, taskId);
    UpdateStream stream = streams.get(key);
    TaskStatus head = stream == null ? null : stream.pending.peek();
    if (head == null || !head.getUuid().equals(uuid)) {
      LOG.debug("Ignoring unexpected acknowledgement agent={} task={}", agent.config.id(),
          taskId.getValue());
      return;
    }
    stream.pending.poll();
    stream.cancelRetry();
    TaskStatus next = stream.pending.peek();
    if (next != null) {
      forward(key, stream, next);
    } else if (LocalAgent.isTerminal(head.getState())) {
      streams.remove(key);
    }
  }

  /** Drops every stream of a framework that is shutting down. Holds the agent's lock. */
  void dropFramework(Protos.FrameworkID frameworkId) {
    streams.entrySet().removeIf(entry -> {
      if (entry.getKey().framework().equals(frameworkId.getValue())) {
        entry.getValue().cancelRetry();
        return true;
      }
      return false;
    });
  }

  /** Stops every resend: the agent is closing. Holds the agent's lock. */
  void cancelRetries() {
    for (UpdateStream stream : streams.values()) {
      stream.cancelRetry();
    }
  }

  /** An update the agent generates (SOURCE_AGENT). */
  TaskStatus agentStatus(Protos.FrameworkID frameworkId, Protos.TaskID taskId,
      Protos.ExecutorID executorId, TaskState state, String message, Reason reason) {
    return TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(state)
        .setSource(Source.SOURCE_AGENT)
        .setMessage(message)
        .setReason(reason)
        .setAgentId(agent.agentId)
        .setExecutorId(executorId)
        .setTimestamp(agent.now())
        .setUuid(newUuid())
        .build();
  }

  /** An update of the built-in command executor (SOURCE_EXECUTOR). */
  TaskStatus executorStatus(Container container, Protos.TaskID taskId, TaskState state,
      String message, Reason reason) {
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(state)
        .setSource(Source.SOURCE_EXECUTOR)
        .setAgentId(agent.agentId)
        .setExecutorId(container.executorId())
        .setTimestamp(agent.now())
        .setUuid(newUuid());
    if (message != null) {
      status.setMessage(message);
    }
    if (reason != null) {
      status.setReason(reason);
    }
    return status.build();
  }

  /** 16 random bytes of a version 4 UUID, as Mesos' {@code id::UUID::random()}. */
  static ByteString newUuid() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits());
    bytes.putLong(uuid.getLeastSignificantBits());
    return ByteString.copyFrom(bytes.array());
  }
}
