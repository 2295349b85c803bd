package dev.mesoskit.local;

import dev.mesoskit.local.LocalAgent.ExecutorKey;
import dev.mesoskit.local.LocalAgent.FrameworkState;
import dev.mesoskit.local.LocalAgent.TaskKey;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks a {@link LocalAgent} launches as its master asks (LAUNCH and LAUNCH_GROUP): each is
 * booked TASK_STAGING, then queued on its container (created and launched when new) or sent to its
 * running executor.
 *
 * <p>Threading: called with the agent's lock held (the {@link LocalAgent} monitor), which guards
 * the agent's books and this part's task group numbers.
 */
final class TaskLaunches {
  /** Logs as the agent, under whose name these lines have always been written. */
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

  private final LocalAgent agent;
  private final StatusUpdates updates;
  private final Containerizer containerizer;
  /** Numbers the task groups of LAUNCH_GROUP operations; guarded by the agent's lock. */
  private int taskGroups;

  TaskLaunches(LocalAgent agent, StatusUpdates updates, Containerizer containerizer) {
    this.agent = agent;
    this.updates = updates;
    this.containerizer = containerizer;
  }

  /** A task, as {@link LocalAgent#launch} describes; under the agent's lock. */
  void launch(Protos.FrameworkInfo framework, Protos.TaskInfo task) {
    if (agent.closed) {
      return;
    }
    Protos.FrameworkID frameworkId = framework.getId();
    FrameworkState state = agent.frameworks.get(frameworkId.getValue());
    if (state == null) {
      state = new FrameworkState(framework);
      agent.frameworks.put(frameworkId.getValue(), state);
    }
    if (!state.terminating) {
      state.info = framework;
    } else {
      LOG.warn("Ignoring task of a terminating framework agent={} framework={} task={}",
          agent.config.id(), frameworkId.getValue(), task.getTaskId().getValue());
      return;
    }
    Protos.ExecutorInfo executor;
    boolean command = !task.hasExecutor();
    if (!command) {
      executor = task.getExecutor().toBuilder().setFrameworkId(frameworkId).build();
      if (executor.getType() == Protos.ExecutorInfo.Type.DEFAULT) {
        // Mesos' default executor: here a JVM of its own that runs the group's commands
        executor = DefaultExecutor.runnable(executor);
      }
    } else if (task.hasCommand()) {
      executor = Containerizer.commandExecutorInfo(frameworkId, task);
    } else {
      LOG.warn("Ignoring task with neither command nor executor agent={} task={}",
          agent.config.id(), task.getTaskId().getValue());
      return;
    }
    TaskKey key = TaskKey.of(frameworkId, task.getTaskId());
    agent.latest.put(key, TaskStatus.newBuilder()
        .setTaskId(task.getTaskId())
        .setState(TaskState.TASK_STAGING)
        .setAgentId(agent.agentId)
        .setExecutorId(executor.getExecutorId())
        .setTimestamp(agent.now())
        .build());

    ExecutorKey executorKey = ExecutorKey.of(frameworkId, executor.getExecutorId());
    Container container = agent.containers.get(executorKey);
    if (container == null) {
      container = containerizer.create(frameworkId, state.info, executor,
          command ? task : null);
      container.queued.put(task.getTaskId(), task);
      agent.containers.put(executorKey, container);
      LOG.info("Launching {} agent={} task={}", container, agent.config.id(),
          task.getTaskId().getValue());
      containerizer.launch(container);
      return;
    }
    switch (container.state) {
      case FETCHING, REGISTERING -> container.queued.put(task.getTaskId(), task);
      case RUNNING -> {
        if (container.isCommandExecutor()) {
          // a second task with the id of a running command task: Mesos' command executor refuses
          updates.enqueue(frameworkId, updates.executorStatus(container, task.getTaskId(),
              TaskState.TASK_FAILED, "Attempted to run multiple tasks using a \"command\" executor",
              null));
          return;
        }
        container.launched.put(task.getTaskId(), task);
        agent.started(container, task.getTaskId());
        container.everSentTask = true;
        agent.sendEvent(container, Event.newBuilder().setType(Event.Type.LAUNCH)
            .setLaunch(Event.Launch.newBuilder().setTask(task).buildPartial()).buildPartial());
      }
      case TERMINATING, TERMINATED -> {
        String what = container.state == Container.State.TERMINATING ? "terminating" : "terminated";
        updates.enqueue(frameworkId, updates.agentStatus(frameworkId, task.getTaskId(),
            executor.getExecutorId(),
            LocalAgent.partitionAware(state.info) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
            "Executor " + what, Reason.REASON_EXECUTOR_TERMINATED));
      }
    }
  }

  /** A task group, as {@link LocalAgent#launchGroup} describes; under the agent's lock. */
  void launchGroup(Protos.FrameworkInfo framework, Protos.ExecutorInfo executor,
      List<Protos.TaskInfo> group) {
    if (agent.closed || group.isEmpty()) {
      return;
    }
    ExecutorKey key = ExecutorKey.of(framework.getId(), executor.getExecutorId());
    Container running = agent.containers.get(key);
    if (running != null && running.state == Container.State.RUNNING) {
      for (Protos.TaskInfo task : group) {
        Protos.TaskInfo withExecutor = task.toBuilder().setExecutor(executor).build();
        agent.latest.put(TaskKey.of(framework.getId(), task.getTaskId()), TaskStatus.newBuilder()
            .setTaskId(task.getTaskId())
            .setState(TaskState.TASK_STAGING)
            .setAgentId(agent.agentId)
            .setExecutorId(executor.getExecutorId())
            .setTimestamp(agent.now())
            .build());
        running.launched.put(task.getTaskId(), withExecutor);
        agent.started(running, task.getTaskId());
      }
      running.everSentTask = true;
      agent.sendEvent(running, ExecutorCalls.launchGroupEvent(group));
      return;
    }
    int id = ++taskGroups;
    for (Protos.TaskInfo task : group) {
      launch(framework, task.toBuilder().setExecutor(executor).build());
      Container container = agent.containers.get(key);
      if (container != null && container.queued.containsKey(task.getTaskId())) {
        container.groupOf.put(task.getTaskId(), id);
      }
    }
  }
}
