package dev.mesoskit.core.spi;

import java.util.Objects;

/**
 * Who an executor is once the agent accepted its subscription ({@code SUBSCRIBED}, or the
 * driver's {@code registered} and {@code reregistered}).
 *
 * @param frameworkId the framework the executor belongs to
 * @param executorId the executor
 * @param agentId the agent it runs on
 * @param agentHostname the agent's hostname
 */
public record ExecutorRegistration(
    String frameworkId, String executorId, String agentId, String agentHostname) {

  /**
   * Validates the fields.
   *
   * @param frameworkId the framework the executor belongs to
   * @param executorId the executor
   * @param agentId the agent it runs on
   * @param agentHostname the agent's hostname
   * @throws NullPointerException if a required field is null
   */
  public ExecutorRegistration {
    Objects.requireNonNull(frameworkId, "frameworkId must not be null");
    Objects.requireNonNull(executorId, "executorId must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(agentHostname, "agentHostname must not be null");
  }
}
