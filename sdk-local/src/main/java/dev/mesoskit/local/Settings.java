package dev.mesoskit.local;

import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.http.V1Conversions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;

/** Everything a {@link LocalCluster}'s master and agents are configured with. */
record Settings(
    int agents,
    Resources agentResources,
    List<Protos.Attribute> agentAttributes,
    String host,
    int masterPort,
    Path workDir,
    Duration heartbeatInterval,
    Duration allocationInterval,
    Optional<Duration> offerTimeout,
    Duration executorRegistrationTimeout,
    Duration executorShutdownGracePeriod,
    Duration statusUpdateRetry,
    boolean checkpoint,
    boolean authenticateExecutors,
    Duration gcDelay,
    double gcDiskHeadroom,
    ContainerRuntime containerRuntime,
    Topology topology) {

  /**
   * The configuration of each agent: its share of the ports (they all live on one host, so two
   * agents never offer the same port), its work directory, its place in the topology.
   *
   * @param podman the container runtime the agents share
   */
  List<AgentConfig> agentConfigs(Podman podman) {
    List<Ranges> ports = splitPorts(agentResources.ranges("ports"), agents);
    List<AgentConfig> configs = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      Resources own = agentResources.filter(r -> !r.name().equals("ports"));
      if (!ports.get(i).isEmpty()) {
        own = own.plus(Resources.of(Resource.ranges("ports", ports.get(i))));
      }
      AgentConfig config = new AgentConfig("agent-" + (i + 1), host,
          V1Conversions.resources(own), agentAttributes, workDir.resolve("agent-" + (i + 1)),
          executorRegistrationTimeout, executorShutdownGracePeriod, statusUpdateRetry,
          checkpoint, authenticateExecutors, gcDelay, gcDiskHeadroom, podman);
      configs.add(topology.apply(i + 1, config));
    }
    return configs;
  }

  /**
   * Splits the port ranges evenly among agents: they all live on one host, so two agents must
   * never offer the same port.
   */
  static List<Ranges> splitPorts(Ranges ports, int agents) {
    List<Ranges> out = new ArrayList<>();
    long share = ports.size() / agents;
    Ranges left = ports;
    for (int i = 0; i < agents; i++) {
      long n = i == agents - 1 ? left.size() : share;
      Ranges mine = left.takeLowest(n).orElse(Ranges.empty());
      out.add(mine);
      left = left.minus(mine);
    }
    return out;
  }
}
