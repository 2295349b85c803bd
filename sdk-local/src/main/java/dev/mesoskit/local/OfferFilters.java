package dev.mesoskit.local;

import dev.mesoskit.core.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One framework's refuse filters, with the semantics of Mesos' hierarchical allocator
 * ({@code RefusedOfferFilter}, kept per framework, role and agent: {@code offerFilters[role][agent]}):
 * declining resources of an offer to a role (or leaving some of an accepted offer unused) with
 * {@code refuse_seconds} hides from that framework's role, on that agent, only offers whose
 * resources are <em>contained</em> in what it refused; its other roles are offered as before.
 * When a task on the agent ends, the agent's free resources grow beyond the refused ones and are
 * offered again at the next allocation, filter or not. A filter lasts at least one allocation
 * interval (Mesos extends it the same way, so that it does not expire before the next allocation
 * looked at the agent); a refusal of 0 s installs no filter; {@code REVIVE} removes the filters of
 * the roles it names (all roles when it names none).
 *
 * <p>A refusal whose role is not known ({@link #refuse(String, Resources, Duration, Instant)})
 * hides the offer from every role of the framework and goes with any REVIVE. The master knows the
 * role of every refusal it makes (DECLINE, and the implicit decline of an ACCEPT's unused
 * resources), so it files each under its offer's role, as Mesos does.
 *
 * <p>Not thread-safe: the master guards it with its lock.
 */
final class OfferFilters {
  /** The key of refusals whose role is not known: they filter every role. */
  private static final String EVERY_ROLE = "";

  private final Duration allocationInterval;
  /** Role (or {@link #EVERY_ROLE}) to agent to the refusals on it. */
  private final Map<String, Map<String, List<Refused>>> byRole = new HashMap<>();

  /**
   * Creates an empty set of filters.
   *
   * @param allocationInterval the master's allocation interval, the shortest time a filter lasts
   */
  OfferFilters(Duration allocationInterval) {
    this.allocationInterval = allocationInterval;
  }

  /**
   * Hides offers of at most {@code resources} on an agent from one role for {@code refuse}.
   *
   * @param role the role the refused offer was allocated to
   * @param agentId the agent
   * @param resources what was refused, unallocated; nothing is installed when empty
   * @param refuse how long; nothing is installed when zero or negative
   * @param now the current time
   */
  void refuse(String role, String agentId, Resources resources, Duration refuse, Instant now) {
    if (resources.isEmpty() || refuse.isZero() || refuse.isNegative()) {
      return;
    }
    Duration lasts = refuse.compareTo(allocationInterval) < 0 ? allocationInterval : refuse;
    byRole.computeIfAbsent(role, r -> new HashMap<>())
        .computeIfAbsent(agentId, a -> new ArrayList<>())
        .add(new Refused(resources, now.plus(lasts)));
  }

  /**
   * Hides offers of at most {@code resources} on an agent from every role of the framework for
   * {@code refuse}: for refusals whose role the caller does not pass.
   *
   * @param agentId the agent
   * @param resources what was refused, unallocated; nothing is installed when empty
   * @param refuse how long; nothing is installed when zero or negative
   * @param now the current time
   */
  void refuse(String agentId, Resources resources, Duration refuse, Instant now) {
    refuse(EVERY_ROLE, agentId, resources, refuse, now);
  }

  /**
   * Whether an offer of {@code offered} on an agent to a role is hidden: some unexpired filter of
   * that role (or of every role) refused a superset of it. Drops the expired filters looked at.
   *
   * @param role the role the offer would be allocated to
   * @param agentId the agent
   * @param offered what would be offered, unallocated
   * @param now the current time
   * @return true when the offer must not be made
   */
  boolean filters(String role, String agentId, Resources offered, Instant now) {
    return filtered(role, agentId, offered, now) || filtered(EVERY_ROLE, agentId, offered, now);
  }

  private boolean filtered(String role, String agentId, Resources offered, Instant now) {
    Map<String, List<Refused>> byAgent = byRole.get(role);
    List<Refused> refused = byAgent == null ? null : byAgent.get(agentId);
    if (refused == null) {
      return false;
    }
    refused.removeIf(r -> !now.isBefore(r.until()));
    if (refused.isEmpty()) {
      byAgent.remove(agentId);
      if (byAgent.isEmpty()) {
        byRole.remove(role);
      }
      return false;
    }
    for (Refused r : refused) {
      if (r.resources().contains(offered)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes the filters of these roles, and those of every role (REVIVE naming roles; a role the
   * framework left).
   *
   * @param roles the roles whose filters go
   */
  void clear(Collection<String> roles) {
    roles.forEach(byRole::remove);
    byRole.remove(EVERY_ROLE);
  }

  /** Removes every filter (REVIVE naming no role). */
  void clear() {
    byRole.clear();
  }

  private record Refused(Resources resources, Instant until) {}
}
