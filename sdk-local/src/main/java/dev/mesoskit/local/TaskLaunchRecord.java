package dev.mesoskit.local;

import java.util.Objects;

/**
 * One task an agent of a {@link LocalCluster} actually started: run by the built-in command
 * executor, or handed to its executor in a LAUNCH or LAUNCH_GROUP event; see
 * {@link LocalCluster#launches()}. A task launched twice is two records.
 *
 * @param sequence the launch's place in the cluster's launch order, from 1, shared by every agent
 * @param agentId the agent that started it
 * @param frameworkId its framework
 * @param taskId the task
 * @param executorId its executor (for a command task, the command executor's, which is the task
 *     id)
 */
public record TaskLaunchRecord(long sequence, String agentId, String frameworkId, String taskId,
    String executorId) {
  /**
   * Validates the fields.
   *
   * @param sequence the launch's place in launch order, from 1
   * @param agentId the agent
   * @param frameworkId the framework
   * @param taskId the task
   * @param executorId the executor
   */
  public TaskLaunchRecord {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1 but was " + sequence);
    }
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(frameworkId, "frameworkId must not be null");
    Objects.requireNonNull(taskId, "taskId must not be null");
    Objects.requireNonNull(executorId, "executorId must not be null");
  }
}
