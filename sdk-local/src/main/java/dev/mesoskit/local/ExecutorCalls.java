package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import dev.mesoskit.local.LocalAgent.ExecutorKey;
import dev.mesoskit.local.LocalAgent.FrameworkState;
import dev.mesoskit.local.LocalAgent.Reply;
import dev.mesoskit.local.LocalAgent.TaskKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.Protos.TaskStatus.Source;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of a {@link LocalAgent}'s executors, once {@link ExecutorApi} has parsed and
 * validated them: SUBSCRIBE (the executor's event stream, its queued tasks, its heartbeats),
 * UPDATE (into the task's status update stream, ACKNOWLEDGED back) and MESSAGE (to the master),
 * each checked against the executor's container and the caller's token claims first.
 *
 * <p>Threading: called on Jetty threads with the agent's lock held (the {@link LocalAgent}
 * monitor); a broken event stream is handled on the agent's timer thread under that same lock.
 */
final class ExecutorCalls {
  /** Logs as the agent, under whose name these lines have always been written. */
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

  private final LocalAgent agent;
  private final StatusUpdates updates;
  private final Containerizer containerizer;

  ExecutorCalls(LocalAgent agent, StatusUpdates updates, Containerizer containerizer) {
    this.agent = agent;
    this.updates = updates;
    this.containerizer = containerizer;
  }

  /**
   * SUBSCRIBE: the executor's event stream starts with SUBSCRIBED, then its queued tasks.
   *
   * <p>Called with the agent's lock held.
   *
   * @param call the validated call
   * @param open opens the stream (commits the 200 response)
   * @return {@link Reply#STREAMING} or an error
   */
  Reply subscribe(Call call, Map<String, String> claims, Supplier<EventStream> open) {
    Object found = lookup(call, claims, true);
    if (found instanceof Reply reply) {
      return reply;
    }
    Container container = (Container) found;
    FrameworkState framework = agent.frameworks.get(container.frameworkId.getValue());
    EventStream stream = open.get();
    if (framework.terminating || container.state == Container.State.TERMINATING) {
      LOG.warn("Shutting down {} as it subscribed while terminating", container);
      stream.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
      stream.close();
      return Reply.STREAMING;
    }
    if (container.stream != null) {
      LOG.warn("Closing the earlier connection of {}", container);
      container.stream.close();
    }
    if (container.heartbeat != null) {
      container.heartbeat.cancel(false);
    }
    if (container.registrationTimer != null) {
      container.registrationTimer.cancel(false);
      container.registrationTimer = null;
    }
    container.state = Container.State.RUNNING;
    container.stream = stream;
    stream.onBroken(cause -> agent.execute(() -> streamBroken(container, stream, cause)));
    LOG.info("Executor subscribed: {}", container);

    List<Event> acknowledgements = new ArrayList<>();
    for (Call.Update update : call.getSubscribe().getUnacknowledgedUpdatesList()) {
      Event ack = executorUpdate(container, update.getStatus());
      if (ack != null) {
        acknowledgements.add(ack);
      }
    }
    Set<Protos.TaskID> unacknowledgedTasks = new HashSet<>();
    for (Protos.TaskInfo task : call.getSubscribe().getUnacknowledgedTasksList()) {
      unacknowledgedTasks.add(task.getTaskId());
    }
    for (Protos.TaskID taskId : container.launched.keySet()) {
      TaskStatus status = agent.latest.get(TaskKey.of(container.frameworkId, taskId));
      if (status != null && status.getState() == TaskState.TASK_STAGING
          && !unacknowledgedTasks.contains(taskId)) {
        updates.enqueue(container.frameworkId, updates.agentStatus(container.frameworkId, taskId,
            container.executorId(),
            LocalAgent.partitionAware(container.framework) ? TaskState.TASK_DROPPED
                : TaskState.TASK_LOST,
            "Task launched during agent restart", Reason.REASON_AGENT_RESTARTED));
      }
    }
    if (!container.everSentTask && container.queued.isEmpty()) {
      LOG.warn("Shutting down {} because it has never been sent a task and all of its queued"
          + " tasks have been killed before delivery", container);
      containerizer.shutdown(container);
      return Reply.STREAMING;
    }
    stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setExecutorInfo(container.executor)
            .setFrameworkInfo(container.framework)
            .setAgentInfo(agentInfo())
            .setContainerId(container.containerId)
            .buildPartial())
        .buildPartial());
    Set<Integer> sentGroups = new HashSet<>();
    for (Protos.TaskInfo task : container.queued.values()) {
      container.launched.put(task.getTaskId(), task);
      agent.started(container, task.getTaskId());
      container.everSentTask = true;
      Integer group = container.groupOf.get(task.getTaskId());
      if (group == null) {
        stream.send(Event.newBuilder().setType(Event.Type.LAUNCH)
            .setLaunch(Event.Launch.newBuilder().setTask(task).buildPartial()).buildPartial());
      } else if (sentGroups.add(group)) {
        List<Protos.TaskInfo> members = new ArrayList<>();
        for (Protos.TaskInfo t : container.queued.values()) {
          if (group.equals(container.groupOf.get(t.getTaskId()))) {
            members.add(t);
          }
        }
        stream.send(launchGroupEvent(members));
      }
    }
    container.queued.clear();
    container.groupOf.clear();
    acknowledgements.forEach(stream::send);
    // Heartbeats start once SUBSCRIBED is on the stream: the timer does not take this lock, and
    // a first beat due before SUBSCRIBED was sent went out first on a slow machine.
    container.heartbeat = agent.timers.scheduleAtFixedRate(() -> stream.send(
            Event.newBuilder().setType(Event.Type.HEARTBEAT).build()),
        agent.heartbeatInterval.toNanos(), agent.heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
    return Reply.STREAMING;
  }

  /**
   * UPDATE: the update joins its task's stream to the master; the executor gets ACKNOWLEDGED.
   *
   * <p>Called with the agent's lock held.
   *
   * @param call the validated call
   * @return {@link Reply#ACCEPTED} or an error
   */
  Reply update(Call call, Map<String, String> claims) {
    Object found = lookup(call, claims, false);
    if (found instanceof Reply reply) {
      return reply;
    }
    Container container = (Container) found;
    Protos.TaskID task = call.getUpdate().getStatus().getTaskId();
    if (!container.launched.containsKey(task) && !container.queued.containsKey(task)) {
      // An executor speaks for its own tasks only: not for another executor's, whatever ids it
      // read from /state.
      LOG.warn("Refusing an update about a task that is not the executor's task={} {}",
          task.getValue(), container);
      return new Reply(400, "Task " + task.getValue() + " is not a task of executor "
          + container.executorId().getValue());
    }
    Event ack = executorUpdate(container, call.getUpdate().getStatus());
    if (ack != null) {
      agent.sendEvent(container, ack);
    }
    return Reply.ACCEPTED;
  }

  /**
   * MESSAGE: passed to the master for the scheduler.
   *
   * <p>Called with the agent's lock held.
   *
   * @param call the validated call
   * @return {@link Reply#ACCEPTED} or an error
   */
  Reply message(Call call, Map<String, String> claims) {
    Object found = lookup(call, claims, false);
    if (found instanceof Reply reply) {
      return reply;
    }
    Container container = (Container) found;
    ByteString data = call.getMessage().getData();
    agent.deliver(() -> agent.master.executorMessage(agent, container.frameworkId,
        container.executorId(), data));
    return Reply.ACCEPTED;
  }

  /**
   * The token of an executor's current container, or null when there is no such container or
   * no authentication. Holds the agent's lock.
   */
  String token(Protos.FrameworkID frameworkId, Protos.ExecutorID executorId) {
    Container container = agent.containers.get(ExecutorKey.of(frameworkId, executorId));
    if (agent.tokens == null || container == null) {
      return null;
    }
    return agent.tokens.issue(frameworkId.getValue(), executorId.getValue(),
        container.containerId.getValue());
  }

  /**
   * The container a call is from, or the error reply: 400 unknown, 403 when the caller's token is
   * another executor's (Mesos' verifyExecutorClaims) or the executor has not subscribed.
   */
  private Object lookup(Call call, Map<String, String> claims, boolean subscribe) {
    if (agent.closed) {
      return new Reply(503, "Agent is shutting down");
    }
    FrameworkState framework = agent.frameworks.get(call.getFrameworkId().getValue());
    if (framework == null) {
      return new Reply(400, "Framework cannot be found");
    }
    Container container = agent.containers.get(ExecutorKey.of(call.getFrameworkId(),
        call.getExecutorId()));
    if (container == null || container.isCommandExecutor()) {
      return new Reply(400, "Executor cannot be found");
    }
    if (claims != null) {
      String mismatch = ExecutorTokens.claimsMismatch(claims, call.getFrameworkId().getValue(),
          call.getExecutorId().getValue(), container.containerId.getValue());
      if (mismatch != null) {
        LOG.warn("Refused an executor call agent={} framework={} executor={}: {}",
            agent.config.id(), call.getFrameworkId().getValue(), call.getExecutorId().getValue(),
            mismatch);
        return new Reply(403, mismatch);
      }
    }
    if (!subscribe && (container.state == Container.State.FETCHING
        || container.state == Container.State.REGISTERING)) {
      return new Reply(403, "Executor is not subscribed");
    }
    return container;
  }

  /** An executor's update; returns the ACKNOWLEDGED event for it, or null when it is ignored. */
  private Event executorUpdate(Container container, TaskStatus received) {
    if (received.hasAgentId() && !received.getAgentId().equals(agent.agentId)) {
      LOG.warn("Ignoring status update for another agent agent={} task={} update_agent={}",
          agent.config.id(), received.getTaskId().getValue(), received.getAgentId().getValue());
      return null;
    }
    TaskStatus.Builder status = received.toBuilder()
        .setAgentId(agent.agentId)
        .setExecutorId(container.executorId())
        .setSource(Source.SOURCE_EXECUTOR);
    if (!status.hasTimestamp()) {
      status.setTimestamp(agent.now());
    }
    if (!agent.running(container.frameworkId)) {
      LOG.warn("Ignoring status update for terminating framework {}",
          container.frameworkId.getValue());
      return null;
    }
    updates.enqueue(container.frameworkId, status.build());
    return Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
        .setAcknowledged(Event.Acknowledged.newBuilder()
            .setTaskId(received.getTaskId())
            .setUuid(received.getUuid()))
        .build();
  }

  private void streamBroken(Container container, EventStream stream, Throwable cause) {
    synchronized (agent) {
      if (container.stream == stream) {
        LOG.info("Executor disconnected: {} ({})", container, cause.toString());
        container.stream = null;
        if (container.heartbeat != null) {
          container.heartbeat.cancel(false);
          container.heartbeat = null;
        }
      }
    }
  }

  /** The LAUNCH_GROUP event of a group; its tasks carry no executor, as the agent sends them. */
  static Event launchGroupEvent(List<Protos.TaskInfo> tasks) {
    Protos.TaskGroupInfo.Builder group = Protos.TaskGroupInfo.newBuilder();
    for (Protos.TaskInfo t : tasks) {
      group.addTasks(t.toBuilder().clearExecutor());
    }
    return Event.newBuilder().setType(Event.Type.LAUNCH_GROUP)
        .setLaunchGroup(Event.LaunchGroup.newBuilder().setTaskGroup(group)).buildPartial();
  }

  private Protos.AgentInfo agentInfo() {
    return Protos.AgentInfo.newBuilder()
        .setHostname(agent.config.hostname())
        .setPort(agent.endpoint.getPort())
        .setId(agent.agentId)
        .addAllResources(agent.config.resources())
        .addAllAttributes(agent.config.attributes())
        .build();
  }
}
