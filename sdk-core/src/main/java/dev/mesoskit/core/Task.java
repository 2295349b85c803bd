package dev.mesoskit.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one task: where it is in its life, which attempt, where it runs.
 *
 * @param id the task id
 * @param name the task name from its spec
 * @param state the latest state; after an attempt ends and is retried, {@link TaskState#PENDING}
 * @param attempt the current attempt, from 1
 * @param done true once {@code state} is the task's outcome and nothing will change any more
 * @param agentId the agent of the current attempt, once launched
 * @param hostname that agent's hostname, once launched
 * @param ports the ports the current attempt holds
 * @param message the latest message: from Mesos, from a retry, or why the task cannot be placed
 * @param reason the latest Mesos reason, e.g. {@code REASON_EXECUTOR_TERMINATED}
 * @param submittedAt when the task was submitted
 * @param updatedAt when this snapshot was taken
 */
public record Task(
    TaskId id,
    String name,
    TaskState state,
    int attempt,
    boolean done,
    Optional<String> agentId,
    Optional<String> hostname,
    List<Long> ports,
    Optional<String> message,
    Optional<String> reason,
    Instant submittedAt,
    Instant updatedAt) {

  /**
   * Validates and copies the fields.
   *
   * @param id the task id
   * @param name the task name from its spec
   * @param state the latest state; after an attempt ends and is retried, {@link TaskState#PENDING}
   * @param attempt the current attempt, from 1
   * @param done true once {@code state} is the task's outcome and nothing will change any more
   * @param agentId the agent of the current attempt, once launched
   * @param hostname that agent's hostname, once launched
   * @param ports the ports the current attempt holds
   * @param message the latest message: from Mesos, from a retry, or why the task cannot be placed
   * @param reason the latest Mesos reason, e.g. {@code REASON_EXECUTOR_TERMINATED}
   * @param submittedAt when the task was submitted
   * @param updatedAt when this snapshot was taken
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public Task {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(hostname, "hostname must not be null");
    ports = List.copyOf(ports);
    Objects.requireNonNull(message, "message must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(submittedAt, "submittedAt must not be null");
    Objects.requireNonNull(updatedAt, "updatedAt must not be null");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
    }
    if (done && !state.isOutcome()) {
      throw new IllegalArgumentException("a done task must be in an outcome state but was " + state);
    }
  }
}
