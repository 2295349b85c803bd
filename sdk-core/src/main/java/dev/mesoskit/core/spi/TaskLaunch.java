package dev.mesoskit.core.spi;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import java.util.Objects;

/**
 * One task to launch in an ACCEPT: the Mesos task id of this attempt, the agent, the spec, and the
 * concrete resources chosen from the offers.
 *
 * <p>Backends turn it into a {@code TaskInfo}: a command task gets {@code spec.command()} with
 * {@code spec.env()} added to its environment; an executor task gets an {@code ExecutorInfo} built
 * from {@code spec.executor()} with {@code executorResources} (the same on every launch of that
 * executor on that agent, as Mesos requires) and its env as labels prefixed
 * {@link TaskSpec#ENV_LABEL_PREFIX}.
 *
 * @param mesosTaskId the task id of this attempt as Mesos sees it
 * @param agentId the agent to launch on
 * @param spec what to run
 * @param resources the task's own concrete resources
 * @param executorResources the executor's concrete resources; empty for command tasks
 */
public record TaskLaunch(
    String mesosTaskId,
    String agentId,
    TaskSpec spec,
    Resources resources,
    Resources executorResources) {

  /**
   * Validates the fields.
   *
   * @param mesosTaskId the task id of this attempt as Mesos sees it
   * @param agentId the agent to launch on
   * @param spec what to run
   * @param resources the task's own concrete resources
   * @param executorResources the executor's concrete resources; empty for command tasks
   * @throws NullPointerException if a required field is null
   */
  public TaskLaunch {
    Objects.requireNonNull(mesosTaskId, "mesosTaskId must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(spec, "spec must not be null");
    Objects.requireNonNull(resources, "resources must not be null");
    Objects.requireNonNull(executorResources, "executorResources must not be null");
  }
}
