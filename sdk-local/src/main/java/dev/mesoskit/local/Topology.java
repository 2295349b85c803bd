package dev.mesoskit.local;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.http.V1Conversions;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos;

/**
 * Where a {@link LocalCluster}'s master and agents are and what each agent has when it differs
 * from the others: the master's fault domain, each agent's fault domain (Mesos' {@code --domain}
 * of the master and of the agent) and per-agent resources, by agent number (1 for
 * {@code agent-1}).
 *
 * @param masterDomain the master's domain, if any
 * @param agentDomains the domains of agents, by agent number
 * @param agentResources the resources of agents that have their own, by agent number
 */
record Topology(Optional<Protos.DomainInfo> masterDomain,
    Map<Integer, Protos.DomainInfo> agentDomains, Map<Integer, Resources> agentResources) {

  /** No domains, every agent alike. */
  static final Topology NONE = new Topology(Optional.empty(), Map.of(), Map.of());

  Topology {
    agentDomains = Map.copyOf(agentDomains);
    agentResources = Map.copyOf(agentResources);
  }

  /**
   * Parses {@code region:zone}, as Mesos' {@code --domain} holds it in JSON
   * ({@code {"fault_domain":{"region":{"name":..},"zone":{"name":..}}}}).
   *
   * @param name the setting, for the message
   * @param text e.g. {@code eu-west:eu-west-1a}
   * @return the domain
   * @throws IllegalArgumentException naming the setting when the text is not region:zone
   */
  static Protos.DomainInfo parseDomain(String name, String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(name + " must be 'region:zone' but was '" + text + "'");
    }
    return Protos.DomainInfo.newBuilder().setFaultDomain(Protos.DomainInfo.FaultDomain.newBuilder()
        .setRegion(Protos.DomainInfo.FaultDomain.RegionInfo.newBuilder()
            .setName(text.substring(0, colon).strip()))
        .setZone(Protos.DomainInfo.FaultDomain.ZoneInfo.newBuilder()
            .setName(text.substring(colon + 1).strip())))
        .build();
  }

  /**
   * Checks the topology against the number of agents: agent numbers in range, and, as a Mesos
   * master refuses agents with a domain when it has none, a master domain when any agent has one.
   */
  void validate(int agents) {
    for (Map<Integer, ?> byAgent : java.util.List.of(agentDomains, agentResources)) {
      for (int n : byAgent.keySet()) {
        if (n < 1 || n > agents) {
          throw new IllegalArgumentException("agent number must be 1-" + agents + " but was " + n);
        }
      }
    }
    if (!agentDomains.isEmpty() && masterDomain.isEmpty()) {
      throw new IllegalArgumentException("masterDomain must be set when an agent has a domain"
          + " (a Mesos master without a domain refuses agents with one)");
    }
  }

  /** The domain of agent {@code n}, if any. */
  Optional<Protos.DomainInfo> agentDomain(int n) {
    return Optional.ofNullable(agentDomains.get(n));
  }

  /** The settings of agent {@code n} with its own domain and resources, when it has them. */
  AgentConfig apply(int n, AgentConfig c) {
    Resources own = agentResources.get(n);
    return new AgentConfig(c.id(), c.hostname(),
        own == null ? c.resources() : V1Conversions.resources(own), c.attributes(), c.workDir(),
        c.registrationTimeout(), c.shutdownGracePeriod(), c.statusUpdateRetry(), c.checkpoint(),
        c.authenticateExecutors(), c.gcDelay(), c.gcDiskHeadroom(), c.podman(), agentDomain(n));
  }
}
