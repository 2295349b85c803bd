package dev.mesoskit.core.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One task to ask the master about in an explicit reconciliation.
 *
 * @param mesosTaskId the Mesos task id
 * @param agentId the agent it was launched on, if known
 */
public record ReconcileTask(String mesosTaskId, Optional<String> agentId) {
  /**
   * Validates the fields.
   *
   * @param mesosTaskId the Mesos task id
   * @param agentId the agent it was launched on, if known
   * @throws NullPointerException if a required field is null
   */
  public ReconcileTask {
    Objects.requireNonNull(mesosTaskId, "mesosTaskId must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
  }
}
