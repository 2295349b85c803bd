package dev.mesoskit.core.spi;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.TaskState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A task status update as a backend hands it to the framework ({@code TaskStatus}).
 *
 * @param mesosTaskId the Mesos task id
 * @param state the state, mapped with {@link TaskState#fromMesos(String)}
 * @param message the human readable message, if any
 * @param reason the Mesos reason name, e.g. {@code REASON_EXECUTOR_TERMINATED}, if any
 * @param source the Mesos source name, e.g. {@code SOURCE_EXECUTOR}, if any
 * @param agentId the agent, if known
 * @param executorId the executor, if any
 * @param uuid the update's uuid; present when the update must be acknowledged
 * @param timestamp when the update was generated
 * @param data the update's {@code data}
 * @param healthy the update's {@code healthy}, set by executors that run health checks
 * @param checkStatus the update's {@code check_status}, set for tasks with a check
 */
public record TaskStatus(
    String mesosTaskId,
    TaskState state,
    Optional<String> message,
    Optional<String> reason,
    Optional<String> source,
    Optional<String> agentId,
    Optional<String> executorId,
    Optional<byte[]> uuid,
    Instant timestamp,
    Optional<byte[]> data,
    Optional<Boolean> healthy,
    Optional<CheckResult> checkStatus) {

  /**
   * Validates the fields.
   *
   * @param mesosTaskId the Mesos task id
   * @param state the state, mapped with {@link TaskState#fromMesos(String)}
   * @param message the human readable message, if any
   * @param reason the Mesos reason name, e.g. {@code REASON_EXECUTOR_TERMINATED}, if any
   * @param source the Mesos source name, e.g. {@code SOURCE_EXECUTOR}, if any
   * @param agentId the agent, if known
   * @param executorId the executor, if any
   * @param uuid the update's uuid; present when the update must be acknowledged
   * @param timestamp when the update was generated
   * @param data the update's {@code data}: what an executor attached, e.g. a task's result
   * @param healthy the update's {@code healthy}, set by executors that run health checks
   * @param checkStatus the update's {@code check_status}, set for tasks with a check
   * @throws NullPointerException if a required field is null
   */
  public TaskStatus {
    Objects.requireNonNull(healthy, "healthy must not be null");
    Objects.requireNonNull(checkStatus, "checkStatus must not be null");
    Objects.requireNonNull(mesosTaskId, "mesosTaskId must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Objects.requireNonNull(message, "message must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(source, "source must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(executorId, "executorId must not be null");
    Objects.requireNonNull(uuid, "uuid must not be null");
    Objects.requireNonNull(timestamp, "timestamp must not be null");
    uuid = uuid.map(byte[]::clone);
    Objects.requireNonNull(data, "data must not be null");
    data = data.map(byte[]::clone);
  }

  /**
   * An update without data.
   *
   * @param mesosTaskId the Mesos task id
   * @param state the state
   * @param message the human readable message, if any
   * @param reason the Mesos reason name, if any
   * @param source the Mesos source name, if any
   * @param agentId the agent, if known
   * @param executorId the executor, if any
   * @param uuid the update's uuid; present when the update must be acknowledged
   * @param timestamp when the update was generated
   */
  public TaskStatus(String mesosTaskId, TaskState state, Optional<String> message,
      Optional<String> reason, Optional<String> source, Optional<String> agentId,
      Optional<String> executorId, Optional<byte[]> uuid, Instant timestamp) {
    this(mesosTaskId, state, message, reason, source, agentId, executorId, uuid, timestamp,
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * An update without check results.
   *
   * @param mesosTaskId the Mesos task id
   * @param state the state
   * @param message the human readable message, if any
   * @param reason the Mesos reason name, if any
   * @param source the Mesos source name, if any
   * @param agentId the agent, if known
   * @param executorId the executor, if any
   * @param uuid the update's uuid; present when the update must be acknowledged
   * @param timestamp when the update was generated
   * @param data the update's {@code data}
   */
  public TaskStatus(String mesosTaskId, TaskState state, Optional<String> message,
      Optional<String> reason, Optional<String> source, Optional<String> agentId,
      Optional<String> executorId, Optional<byte[]> uuid, Instant timestamp,
      Optional<byte[]> data) {
    this(mesosTaskId, state, message, reason, source, agentId, executorId, uuid, timestamp,
        data, Optional.empty(), Optional.empty());
  }

  /**
   * Returns a copy of the data.
   *
   * @return the data bytes, if the update carries any
   */
  @Override
  public Optional<byte[]> data() {
    return data.map(byte[]::clone);
  }

  /**
   * Returns a copy of the uuid.
   *
   * @return the uuid bytes, if the update carries one
   */
  @Override
  public Optional<byte[]> uuid() {
    return uuid.map(byte[]::clone);
  }
}
