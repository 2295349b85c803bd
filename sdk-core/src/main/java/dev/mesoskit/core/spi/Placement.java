package dev.mesoskit.core.spi;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import java.util.Objects;

/**
 * A packing decision: this task runs on this agent with these concrete resources.
 *
 * @param taskId the task
 * @param agentId the agent whose offers it uses
 * @param resources the task's resources, taken from that agent's offers
 * @param executorResources the executor's resources when this placement starts the task's
 *     executor on the agent; empty for command tasks and when the executor already runs there
 */
public record Placement(
    TaskId taskId, String agentId, Resources resources, Resources executorResources) {
  /**
   * Validates the fields.
   *
   * @param taskId the task
   * @param agentId the agent whose offers it uses
   * @param resources the task's resources, taken from that agent's offers
   * @param executorResources the executor's resources when this placement starts the task's
   *     executor on the agent; empty for command tasks and when the executor already runs there
   * @throws NullPointerException if a required field is null
   */
  public Placement {
    Objects.requireNonNull(taskId, "taskId must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(resources, "resources must not be null");
    Objects.requireNonNull(executorResources, "executorResources must not be null");
  }
}
