package dev.mesoskit.local;

import dev.mesoskit.core.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One framework's refuse filters, with the semantics of Mesos' hierarchical allocator
 * ({@code RefusedOfferFilter}): declining resources (or leaving some of an accepted offer unused)
 * with {@code refuse_seconds} hides from that framework, on that agent, only offers whose
 * resources are <em>contained</em> in what it refused. When a task on the agent ends, the agent's
 * free resources grow beyond the refused ones and are offered again at the next allocation, filter
 * or not. A filter lasts at least one allocation interval (Mesos extends it the same way, so that it
 * does not expire before the next allocation looked at the agent); a refusal of 0 s installs no
 * filter; {@code REVIVE} removes them all.
 *
 * <p>Not thread-safe: the master guards it with its lock.
 */
final class OfferFilters {
  private final Duration allocationInterval;
  private final Map<String, List<Refused>> byAgent = new HashMap<>();

  /**
   * Creates an empty set of filters.
   *
   * @param allocationInterval the master's allocation interval, the shortest time a filter lasts
   */
  OfferFilters(Duration allocationInterval) {
    this.allocationInterval = allocationInterval;
  }

  /**
   * Hides offers of at most {@code resources} on an agent for {@code refuse}.
   *
   * @param agentId the agent
   * @param resources what was refused, unallocated; nothing is installed when empty
   * @param refuse how long; nothing is installed when zero or negative
   * @param now the current time
   */
  void refuse(String agentId, Resources resources, Duration refuse, Instant now) {
    if (resources.isEmpty() || refuse.isZero() || refuse.isNegative()) {
      return;
    }
    Duration lasts = refuse.compareTo(allocationInterval) < 0 ? allocationInterval : refuse;
    byAgent.computeIfAbsent(agentId, a -> new ArrayList<>())
        .add(new Refused(resources, now.plus(lasts)));
  }

  /**
   * Whether an offer of {@code offered} on an agent is hidden: some unexpired filter refused a
   * superset of it. Drops the expired filters of that agent.
   *
   * @param agentId the agent
   * @param offered what would be offered, unallocated
   * @param now the current time
   * @return true when the offer must not be made
   */
  boolean filters(String agentId, Resources offered, Instant now) {
    List<Refused> refused = byAgent.get(agentId);
    if (refused == null) {
      return false;
    }
    refused.removeIf(r -> !now.isBefore(r.until()));
    if (refused.isEmpty()) {
      byAgent.remove(agentId);
      return false;
    }
    for (Refused r : refused) {
      if (r.resources().contains(offered)) {
        return true;
      }
    }
    return false;
  }

  /** Removes every filter (REVIVE). */
  void clear() {
    byAgent.clear();
  }

  private record Refused(Resources resources, Instant until) {}
}
