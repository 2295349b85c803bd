package dev.mesoskit.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;

/**
 * The settings of one local agent.
 *
 * @param id the agent id
 * @param hostname the hostname offers carry (127.0.0.1 by default: agents are on loopback)
 * @param resources the agent's total resources (unreserved)
 * @param attributes the agent's attributes
 * @param workDir the agent's work directory; sandboxes go below it
 * @param registrationTimeout how long a custom executor may take to SUBSCRIBE
 * @param shutdownGracePeriod how long an executor gets between SHUTDOWN and SIGKILL (a command
 *     task's kill uses its kill policy, 3 s without one, as Mesos' command executor)
 * @param statusUpdateRetry how long the agent waits for an acknowledgement before resending
 * @param checkpoint whether frameworks' executors are told to checkpoint (MESOS_CHECKPOINT)
 * @param authenticateExecutors whether every executor call must carry the executor's token, as
 *     Mesos' {@code --authenticate_http_executors} (see {@link ExecutorTokens})
 * @param gcDelay how long a finished container's sandbox is kept at most, as Mesos'
 *     {@code --gc_delay} (see {@link Sandboxes})
 * @param gcDiskHeadroom the share of the disk the sandbox collector keeps free, 0.0 to 1.0, as
 *     Mesos' {@code --gc_disk_headroom}
 * @param podman what runs command tasks with container images (see {@link ContainerRuntime})
 * @param domain the agent's fault domain, as Mesos' {@code --domain}; its offers carry it
 */
record AgentConfig(
    String id,
    String hostname,
    List<Protos.Resource> resources,
    List<Protos.Attribute> attributes,
    Path workDir,
    Duration registrationTimeout,
    Duration shutdownGracePeriod,
    Duration statusUpdateRetry,
    boolean checkpoint,
    boolean authenticateExecutors,
    Duration gcDelay,
    double gcDiskHeadroom,
    Podman podman,
    Optional<Protos.DomainInfo> domain) {

  /** Settings with a container runtime and without a domain. */
  AgentConfig(String id, String hostname, List<Protos.Resource> resources,
      List<Protos.Attribute> attributes, Path workDir, Duration registrationTimeout,
      Duration shutdownGracePeriod, Duration statusUpdateRetry, boolean checkpoint,
      boolean authenticateExecutors, Duration gcDelay, double gcDiskHeadroom, Podman podman) {
    this(id, hostname, resources, attributes, workDir, registrationTimeout, shutdownGracePeriod,
        statusUpdateRetry, checkpoint, authenticateExecutors, gcDelay, gcDiskHeadroom, podman,
        Optional.empty());
  }

  /** Settings without a container runtime: image tasks are refused. */
  AgentConfig(String id, String hostname, List<Protos.Resource> resources,
      List<Protos.Attribute> attributes, Path workDir, Duration registrationTimeout,
      Duration shutdownGracePeriod, Duration statusUpdateRetry, boolean checkpoint,
      boolean authenticateExecutors, Duration gcDelay, double gcDiskHeadroom) {
    this(id, hostname, resources, attributes, workDir, registrationTimeout, shutdownGracePeriod,
        statusUpdateRetry, checkpoint, authenticateExecutors, gcDelay, gcDiskHeadroom,
        Podman.none("the agent was started without a container runtime"));
  }

  AgentConfig {
    resources = List.copyOf(resources);
    java.util.Objects.requireNonNull(podman, "podman");
    domain = domain == null ? Optional.empty() : domain;
    attributes = List.copyOf(attributes);
    if (gcDelay == null || gcDelay.isNegative()) {
      throw new IllegalArgumentException("gcDelay must be >= 0 but was " + gcDelay);
    }
    if (!(gcDiskHeadroom >= 0.0 && gcDiskHeadroom <= 1.0)) {
      throw new IllegalArgumentException("gcDiskHeadroom must be 0.0-1.0 but was "
          + gcDiskHeadroom);
    }
  }

  /** These settings with another hostname, e.g. the agent's address on an isolated network. */
  AgentConfig withHostname(String hostname) {
    return new AgentConfig(id, hostname, resources, attributes, workDir, registrationTimeout,
        shutdownGracePeriod, statusUpdateRetry, checkpoint, authenticateExecutors, gcDelay,
        gcDiskHeadroom, podman, domain);
  }
}
