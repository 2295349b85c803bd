package dev.mesoskit.core.spi;

import dev.mesoskit.core.Resources;
import java.util.List;
import java.util.Objects;

/**
 * A pod's launch: tasks launched together on one agent by Mesos' default executor
 * ({@code Offer.Operation.LAUNCH_GROUP}: an {@code ExecutorInfo} of type {@code DEFAULT} and a
 * {@code TaskGroupInfo}).
 *
 * @param executorId the default executor's id, unique per launch of the pod
 * @param executorName the executor's name (the pod's name)
 * @param executorResources what the default executor itself gets
 * @param sharedVolumes pod sandbox directories every task mounts read-write
 * @param tasks the pod's tasks, each with its resources taken from the same offers
 */
public record TaskGroupLaunch(
    String executorId,
    String executorName,
    Resources executorResources,
    List<String> sharedVolumes,
    List<TaskLaunch> tasks) {

  /**
   * Validates and copies the fields.
   *
   * @param executorId the default executor's id
   * @param executorName the executor's name
   * @param executorResources what the default executor itself gets
   * @param sharedVolumes pod sandbox directories every task mounts read-write
   * @param tasks the pod's tasks, at least one, all on one agent
   * @throws IllegalArgumentException if there is no task or the tasks name different agents
   */
  public TaskGroupLaunch {
    Objects.requireNonNull(executorId, "executorId must not be null");
    Objects.requireNonNull(executorName, "executorName must not be null");
    Objects.requireNonNull(executorResources, "executorResources must not be null");
    sharedVolumes = List.copyOf(sharedVolumes);
    tasks = List.copyOf(tasks);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("a task group needs at least one task");
    }
    String agent = tasks.get(0).agentId();
    for (TaskLaunch t : tasks) {
      if (!t.agentId().equals(agent)) {
        throw new IllegalArgumentException("a task group runs on one agent but had " + agent
            + " and " + t.agentId());
      }
    }
  }

  /**
   * The agent the group runs on.
   *
   * @return the agent id
   */
  public String agentId() {
    return tasks.get(0).agentId();
  }
}
