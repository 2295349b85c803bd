package dev.mesoskit.core;

import java.util.Map;
import java.util.Objects;
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
 */
public record Offer(
    String id,
    String agentId,
    String hostname,
    Resources resources,
    Map<String, String> attributes,
    Set<String> executorIds) {

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
   * @throws NullPointerException if a required field is null
   */
  public Offer {
    Objects.requireNonNull(id, "offer id must not be null");
    Objects.requireNonNull(agentId, "offer agentId must not be null");
    Objects.requireNonNull(hostname, "offer hostname must not be null");
    Objects.requireNonNull(resources, "offer resources must not be null");
    attributes = Map.copyOf(attributes);
    executorIds = Set.copyOf(executorIds);
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
