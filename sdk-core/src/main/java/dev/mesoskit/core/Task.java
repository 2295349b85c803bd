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
 * @param result what the task's executor attached to its {@code TASK_FINISHED} update
 * @param healthy the latest verdict of the task's {@link HealthCheck}: empty before the first
 *     probe finished (and for a task without one), then true or false as Mesos last reported
 * @param check the latest result of the task's {@link ReadinessCheck}, empty for a task without
 *     one
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
    Instant updatedAt,
    Optional<byte[]> result,
    Optional<Boolean> healthy,
    Optional<CheckResult> check) {

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
   * @param result what the task's executor attached to its {@code TASK_FINISHED} update (see
   *     {@code TaskContext.result} of sdk-executor), once finished
   * @param healthy the latest verdict of the task's health check, if any was reported
   * @param check the latest result of the task's readiness check, if it has one
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
    Objects.requireNonNull(result, "result must not be null");
    result = result.map(byte[]::clone);
    Objects.requireNonNull(healthy, "healthy must not be null");
    Objects.requireNonNull(check, "check must not be null");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
    }
    if (done && !state.isOutcome()) {
      throw new IllegalArgumentException("a done task must be in an outcome state but was " + state);
    }
  }

  /**
   * A snapshot without a result.
   *
   * @param id the task id
   * @param name the task name from its spec
   * @param state the latest state
   * @param attempt the current attempt, from 1
   * @param done true once {@code state} is the task's outcome
   * @param agentId the agent of the current attempt, once launched
   * @param hostname that agent's hostname, once launched
   * @param ports the ports the current attempt holds
   * @param message the latest message
   * @param reason the latest Mesos reason
   * @param submittedAt when the task was submitted
   * @param updatedAt when this snapshot was taken
   */
  public Task(TaskId id, String name, TaskState state, int attempt, boolean done,
      Optional<String> agentId, Optional<String> hostname, List<Long> ports,
      Optional<String> message, Optional<String> reason, Instant submittedAt,
      Instant updatedAt) {
    this(id, name, state, attempt, done, agentId, hostname, ports, message, reason, submittedAt,
        updatedAt, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * A snapshot with a result and without check results.
   *
   * @param id the task id
   * @param name the task name from its spec
   * @param state the latest state
   * @param attempt the current attempt, from 1
   * @param done true once {@code state} is the task's outcome
   * @param agentId the agent of the current attempt, once launched
   * @param hostname that agent's hostname, once launched
   * @param ports the ports the current attempt holds
   * @param message the latest message
   * @param reason the latest Mesos reason
   * @param submittedAt when the task was submitted
   * @param updatedAt when this snapshot was taken
   * @param result what the executor attached to the task's {@code TASK_FINISHED} update
   */
  public Task(TaskId id, String name, TaskState state, int attempt, boolean done,
      Optional<String> agentId, Optional<String> hostname, List<Long> ports,
      Optional<String> message, Optional<String> reason, Instant submittedAt,
      Instant updatedAt, Optional<byte[]> result) {
    this(id, name, state, attempt, done, agentId, hostname, ports, message, reason, submittedAt,
        updatedAt, result, Optional.empty(), Optional.empty());
  }

  /**
   * Whether the task is running and ready: {@link TaskState#RUNNING}, its readiness check (if it
   * has one) passed last time, and its health check (if one reported) last said healthy. A task
   * whose health check has not reported yet counts as ready here; wait for
   * {@code healthy().orElse(false)} when that matters.
   *
   * @return true when ready
   */
  public boolean ready() {
    return state == TaskState.RUNNING && healthy.orElse(true)
        && check.map(CheckResult::passed).orElse(true);
  }

  /**
   * Returns a copy of the result.
   *
   * @return what the executor attached to the task's {@code TASK_FINISHED} update, if anything;
   *     empty for an outcome learned from reconciliation (e.g. a task adopted after a failover
   *     that had finished meanwhile), since Mesos' reconciliation answers carry no data
   */
  @Override
  public Optional<byte[]> result() {
    return result.map(byte[]::clone);
  }

  /**
   * The result as UTF-8 text.
   *
   * @return the result decoded as UTF-8, if there is one
   */
  public Optional<String> resultText() {
    return result.map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Equal snapshots: the same fields, the result compared by its bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Task t && id.equals(t.id) && name.equals(t.name) && state == t.state
        && attempt == t.attempt && done == t.done && agentId.equals(t.agentId)
        && hostname.equals(t.hostname) && ports.equals(t.ports) && message.equals(t.message)
        && reason.equals(t.reason) && submittedAt.equals(t.submittedAt)
        && updatedAt.equals(t.updatedAt)
        && java.util.Arrays.equals(result.orElse(null), t.result.orElse(null))
        && healthy.equals(t.healthy) && check.equals(t.check);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, state, attempt, done, agentId, hostname, ports, message, reason,
        submittedAt, updatedAt, healthy, check) * 31
        + java.util.Arrays.hashCode(result.orElse(null));
  }

  @Override
  public String toString() {
    return "Task[id=" + id + ", name=" + name + ", state=" + state + ", attempt=" + attempt
        + ", done=" + done + ", agentId=" + agentId + ", hostname=" + hostname + ", ports="
        + ports + ", message=" + message + ", reason=" + reason + ", submittedAt=" + submittedAt
        + ", updatedAt=" + updatedAt
        + result.map(b -> ", result=" + b.length + " bytes").orElse("")
        + healthy.map(h -> ", healthy=" + h).orElse("")
        + check.map(c -> ", check=" + c).orElse("") + "]";
  }
}
