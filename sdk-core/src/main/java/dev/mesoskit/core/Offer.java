package dev.mesoskit.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only view of one Mesos offer: resources of one agent the master offers this framework
 * until it accepts, declines, or the master rescinds it.
 *
 * <p>Backends build offers from the wire messages; user code and packing strategies only read
 * them.
 *
 * @param id the offer id
 * @param agentId the agent whose resources these are
 * @param hostname the agent's hostname
 * @param resources the offered resources
 * @param attributes the agent's attributes, values in Mesos text form ({@code rack:r1},
 *     {@code zone:[1-3]})
 * @param executorIds the ids of this framework's executors already running on the agent
 * @param domain the agent's fault domain ({@code Offer.domain}), when it has one
 */
public record Offer(
    String id,
    String agentId,
    String hostname,
    Resources resources,
    Map<String, String> attributes,
    Set<String> executorIds,
    Optional<Domain> domain) {

  /**
   * An agent's fault domain, Mesos' {@code DomainInfo.FaultDomain}: the region and the zone
   * within it. A master offers agents of other regions than its own only to frameworks with
   * {@code REGION_AWARE} ({@link Framework.Builder#regionAware}).
   *
   * @param region the region's name, e.g. {@code us-east-1}
   * @param zone the zone's name, e.g. {@code us-east-1a}
   */
  public record Domain(String region, String zone) {
    /**
     * Validates the fields.
     *
     * @param region the region's name
     * @param zone the zone's name
     * @throws NullPointerException if a name is null
     */
    public Domain {
      Objects.requireNonNull(region, "region must not be null");
      Objects.requireNonNull(zone, "zone must not be null");
    }
  }

  /**
   * Validates and copies the fields.
   *
   * @param id the offer id
   * @param agentId the agent whose resources these are
   * @param hostname the agent's hostname
   * @param resources the offered resources
   * @param attributes the agent's attributes, values in Mesos text form ({@code rack:r1},
   *     {@code zone:[1-3]})
   * @param executorIds the ids of this framework's executors already running on the agent
   * @param domain the agent's fault domain, when it has one
   * @throws NullPointerException if a required field is null
   */
  public Offer {
    Objects.requireNonNull(id, "offer id must not be null");
    Objects.requireNonNull(agentId, "offer agentId must not be null");
    Objects.requireNonNull(hostname, "offer hostname must not be null");
    Objects.requireNonNull(resources, "offer resources must not be null");
    attributes = Map.copyOf(attributes);
    executorIds = Set.copyOf(executorIds);
    Objects.requireNonNull(domain, "offer domain must not be null");
  }

  /**
   * An offer of an agent without a fault domain.
   *
   * @param id the offer id
   * @param agentId the agent whose resources these are
   * @param hostname the agent's hostname
   * @param resources the offered resources
   * @param attributes the agent's attributes, values in Mesos text form
   * @param executorIds the ids of this framework's executors already running on the agent
   */
  public Offer(String id, String agentId, String hostname, Resources resources,
      Map<String, String> attributes, Set<String> executorIds) {
    this(id, agentId, hostname, resources, attributes, executorIds, Optional.empty());
  }

  /**
   * An offer without attributes or running executors.
   *
   * @param id the offer id
   * @param agentId the agent id
   * @param hostname the agent's hostname
   * @param resources the offered resources
   * @return the offer
   */
  public static Offer of(String id, String agentId, String hostname, Resources resources) {
    return new Offer(id, agentId, hostname, resources, Map.of(), Set.of());
  }
}
