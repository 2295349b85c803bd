package dev.mesoskit.core.spi;

import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A task the agent hands an executor ({@code TaskInfo} of a {@code LAUNCH}), as MesosKit values.
 *
 * @param mesosTaskId the task id as Mesos knows it; MesosKit's own tasks use {@code id.attempt}
 * @param name the task's name
 * @param data the bytes the scheduler attached ({@code TaskInfo.data}), empty when none
 * @param labels every label of the task, including those prefixed
 *     {@link TaskSpec#ENV_LABEL_PREFIX} that carry its environment; a key given twice keeps its
 *     last value
 * @param resources the task's resources
 * @param executorId the executor running it
 * @param frameworkId the framework it belongs to
 * @param agentId the agent it runs on
 * @param killGracePeriod how long a kill may take ({@code TaskInfo.kill_policy}), if set
 * @param healthCheck the task's health check ({@code TaskInfo.health_check}), its port fixed
 * @param readinessCheck the task's check ({@code TaskInfo.check}), its port fixed
 */
public record LaunchedTask(
    String mesosTaskId,
    String name,
    byte[] data,
    Map<String, String> labels,
    Resources resources,
    String executorId,
    String frameworkId,
    String agentId,
    Optional<Duration> killGracePeriod,
    Optional<HealthCheck> healthCheck,
    Optional<ReadinessCheck> readinessCheck) {

  /**
   * Validates and copies the fields.
   *
   * @param mesosTaskId the task id as Mesos knows it; MesosKit's own tasks use {@code id.attempt}
   * @param name the task's name
   * @param data the bytes the scheduler attached ({@code TaskInfo.data}), empty when none
   * @param labels every label of the task, including those prefixed
   *     {@link TaskSpec#ENV_LABEL_PREFIX} that carry its environment; a key given twice keeps its
   *     last value
   * @param resources the task's resources
   * @param executorId the executor running it
   * @param frameworkId the framework it belongs to
   * @param agentId the agent it runs on
   * @param killGracePeriod how long a kill may take ({@code TaskInfo.kill_policy}), if set
   * @param healthCheck the task's health check ({@code TaskInfo.health_check}), its port fixed
   * @param readinessCheck the task's check ({@code TaskInfo.check}), its port fixed
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public LaunchedTask {
    Objects.requireNonNull(mesosTaskId, "mesosTaskId must not be null");
    Objects.requireNonNull(name, "name must not be null");
    data = Objects.requireNonNull(data, "data must not be null").clone();
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    Objects.requireNonNull(resources, "resources must not be null");
    Objects.requireNonNull(executorId, "executorId must not be null");
    Objects.requireNonNull(frameworkId, "frameworkId must not be null");
    Objects.requireNonNull(agentId, "agentId must not be null");
    Objects.requireNonNull(killGracePeriod, "killGracePeriod must not be null");
    Objects.requireNonNull(healthCheck, "healthCheck must not be null");
    Objects.requireNonNull(readinessCheck, "readinessCheck must not be null");
    if (mesosTaskId.isEmpty()) {
      throw new IllegalArgumentException("mesosTaskId must not be empty");
    }
  }

  /**
   * A task without checks.
   *
   * @param mesosTaskId the task id as Mesos knows it
   * @param name the task's name
   * @param data the bytes the scheduler attached, empty when none
   * @param labels every label of the task
   * @param resources the task's resources
   * @param executorId the executor running it
   * @param frameworkId the framework it belongs to
   * @param agentId the agent it runs on
   * @param killGracePeriod how long a kill may take, if set
   */
  public LaunchedTask(String mesosTaskId, String name, byte[] data, Map<String, String> labels,
      Resources resources, String executorId, String frameworkId, String agentId,
      Optional<Duration> killGracePeriod) {
    this(mesosTaskId, name, data, labels, resources, executorId, frameworkId, agentId,
        killGracePeriod, Optional.empty(), Optional.empty());
  }

  /**
   * Returns a copy of the task's data.
   *
   * @return the bytes
   */
  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LaunchedTask t
        && mesosTaskId.equals(t.mesosTaskId)
        && name.equals(t.name)
        && Arrays.equals(data, t.data)
        && labels.equals(t.labels)
        && resources.equals(t.resources)
        && executorId.equals(t.executorId)
        && frameworkId.equals(t.frameworkId)
        && agentId.equals(t.agentId)
        && killGracePeriod.equals(t.killGracePeriod)
        && healthCheck.equals(t.healthCheck)
        && readinessCheck.equals(t.readinessCheck);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mesosTaskId, name, Arrays.hashCode(data), labels, resources, executorId,
        frameworkId, agentId, killGracePeriod, healthCheck, readinessCheck);
  }

  @Override
  public String toString() {
    return "LaunchedTask[mesosTaskId=" + mesosTaskId + ", name=" + name + ", data="
        + data.length + " bytes, labels=" + labels + ", resources=" + resources + ", executorId="
        + executorId + ", frameworkId=" + frameworkId + ", agentId=" + agentId
        + ", killGracePeriod=" + killGracePeriod.map(Duration::toString).orElse("none")
        + healthCheck.map(h -> ", healthCheck=" + h).orElse("")
        + readinessCheck.map(h -> ", readinessCheck=" + h).orElse("") + "]";
  }
}
