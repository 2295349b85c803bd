package dev.mesoskit.core.spi;

import java.util.Objects;
import java.util.Set;

/**
 * Who an executor is once the agent accepted its subscription ({@code SUBSCRIBED}, or the
 * driver's {@code registered} and {@code reregistered}).
 *
 * @param frameworkId the framework the executor belongs to
 * @param executorId the executor
 * @param agentId the agent it runs on
 * @param agentHostname the agent's hostname
 * @param frameworkCapabilities the Mesos capability names the framework declared
 *     ({@code FrameworkInfo.capabilities}, e.g. {@code TASK_KILLING_STATE}), copied
 */
public record ExecutorRegistration(
    String frameworkId, String executorId, String agentId, String agentHostname,
    Set<String> frameworkCapabilities) {

  /**
   * Validates and copies the fields.
   *
   * @param frameworkId the framework the executor belongs to
   * @param executorId the executor
   * @param agentId the agent it runs on
   * @param agentHostname the agent's hostname
   * @param frameworkCapabilities the Mesos capability names the framework declared, copied
   * @throws NullPointerException if a required field is null
   */
  public ExecutorRegistration {
    Objects.requireNonNull(frameworkId, "frameworkId must not be null");
    Objects.requireNonNull(executorId, "executorId must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(agentHostname, "agentHostname must not be null");
    frameworkCapabilities = Set.copyOf(
        Objects.requireNonNull(frameworkCapabilities, "frameworkCapabilities must not be null"));
  }

  /**
   * Creates a registration of a framework that declared no capabilities.
   *
   * @param frameworkId the framework the executor belongs to
   * @param executorId the executor
   * @param agentId the agent it runs on
   * @param agentHostname the agent's hostname
   * @throws NullPointerException if a required field is null
   */
  public ExecutorRegistration(
      String frameworkId, String executorId, String agentId, String agentHostname) {
    this(frameworkId, executorId, agentId, agentHostname, Set.of());
  }

  /**
   * Returns whether the framework declared a capability.
   *
   * @param capability a Mesos capability name, e.g. {@code TASK_KILLING_STATE}
   * @return true when declared
   */
  public boolean hasFrameworkCapability(String capability) {
    return frameworkCapabilities.contains(capability);
  }
}
