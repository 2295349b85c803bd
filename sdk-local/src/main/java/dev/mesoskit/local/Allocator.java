package dev.mesoskit.local;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.http.V1Conversions;
import dev.mesoskit.local.LocalMaster.AgentEntry;
import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import dev.mesoskit.local.LocalMaster.OfferEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator of a {@link LocalMaster}: every allocation interval it offers each agent's free
 * resources to one eligible role of a framework, round robin over the roles of all frameworks
 * (reserved resources only to their role), past the frameworks' refuse filters
 * ({@link OfferFilters}, per framework, role and agent) and past the roles each framework
 * suppressed; it times offers out, takes offers back (rescinds, recovers their resources), and
 * applies DECLINE, REVIVE and SUPPRESS, and the {@code suppressed_roles} of SUBSCRIBE and
 * UPDATE_FRAMEWORK, per role as Mesos' hierarchical allocator
 * ({@code src/master/allocator/mesos/hierarchical.cpp}: {@code suppressRoles},
 * {@code reviveRoles}, {@code updateFramework}).
 *
 * <p>Threading: it works on the master's books under the master's lock (the {@link LocalMaster}
 * monitor), which also guards its round-robin cursor; offers go out on the streams after the
 * lock is released.
 */
final class Allocator {
  /** Logs as the master, under whose name these lines have always been written. */
  private static final Logger log = LoggerFactory.getLogger(LocalMaster.class);

  private final LocalMaster master;
  private final AtomicLong offerIds = new AtomicLong();
  /** Where the next round robin starts; guarded by the master's lock. */
  private int allocationCursor;
  /** The suppressed roles of each framework, by framework id; guarded by the master's lock. */
  private final Map<String, Set<String>> suppressedRoles = new HashMap<>();

  Allocator(LocalMaster master) {
    this.master = master;
  }

  /** {@link #allocate()} for timers and deliveries: a failure is logged, not thrown. */
  void allocateQuietly() {
    try {
      allocate();
    } catch (RuntimeException e) {
      log.error("allocation failed", e);
    }
  }

  /**
   * Offers each agent's free resources, round robin over every role of every eligible framework
   * (a framework with roles a and b counts as two clients, a and b): per agent and allocation
   * cycle, the unreserved resources go whole to the next client that may have them, with those
   * reserved for its role; resources reserved for other roles go, in the same cycle, to the next
   * client of their role. An agent with gpus goes only to frameworks with GPU_RESOURCES, one in
   * a region other than the master's only to REGION_AWARE frameworks ({@link RoleAllocation}).
   */
  void allocate() {
    Map<SchedulerStream, List<Protos.Offer>> batches = new LinkedHashMap<>();
    synchronized (master) {
      List<RoleAllocation.Client> clients = new ArrayList<>();
      for (FrameworkEntry fw : master.frameworks.values()) {
        if (fw.stream != null) {
          Set<String> suppressed = suppressedRoles.getOrDefault(fw.id().getValue(), Set.of());
          for (String role : RoleAllocation.roles(fw.info)) {
            if (!suppressed.contains(role)) {
              clients.add(new RoleAllocation.Client(fw, role));
            }
          }
        }
      }
      if (clients.isEmpty()) {
        return;
      }
      Instant now = master.clock.instant();
      for (AgentEntry agent : master.agents.values()) {
        if (!agent.reachable || agent.gone) {
          continue;
        }
        boolean unreservedOffered = false;
        int start = allocationCursor;
        for (int i = 0; i < clients.size(); i++) {
          RoleAllocation.Client client = clients.get(Math.floorMod(start + i, clients.size()));
          FrameworkEntry fw = client.framework();
          if (!RoleAllocation.capable(fw.info, agent, master.settings.topology().masterDomain())) {
            continue;
          }
          boolean withUnreserved = !unreservedOffered;
          Resources offered = agent.free.filter(r -> r.role().equals(client.role())
              || withUnreserved && !r.isReserved());
          if (!worthOffering(offered) || fw.filters.filters(client.role(), agent.id(), offered,
              now)) {
            continue;
          }
          if (offered.list().stream().anyMatch(r -> !r.isReserved())) {
            unreservedOffered = true;
            allocationCursor++;
          }
          agent.free = agent.free.minus(offered);
          Protos.Offer proto = offer(fw, agent, client.role(), offered);
          batches.computeIfAbsent(fw.stream, s -> new ArrayList<>()).add(proto);
        }
      }
    }
    batches.forEach((stream, list) -> master.send(stream, Event.newBuilder()
        .setType(Event.Type.OFFERS)
        .setOffers(Event.Offers.newBuilder().addAllOffers(list)).build()));
  }

  /** Books an offer of {@code free} resources of an agent to a framework's role. Holds the lock. */
  private Protos.Offer offer(FrameworkEntry fw, AgentEntry agent, String role,
      Resources free) {
    Resources offered = ProtoResources.allocatedTo(free, role);
    OfferEntry offer = new OfferEntry("offer-" + offerIds.incrementAndGet(),
        fw.id().getValue(), agent.id(), role, offered);
    master.offers.put(offer.id(), offer);
    // As Mesos: allocation_info on the offer and its resources only for MULTI_ROLE
    // frameworks; others see resources as before MULTI_ROLE existed.
    boolean multiRole = fw.multiRole();
    Protos.Offer.Builder proto = Protos.Offer.newBuilder()
        .setId(Protos.OfferID.newBuilder().setValue(offer.id()))
        .setFrameworkId(fw.id())
        .setAgentId(Protos.AgentID.newBuilder().setValue(agent.id()))
        .setHostname(agent.agent.hostname())
        .addAllResources(V1Conversions.resources(multiRole ? offered
            : ProtoResources.unallocated(offered)))
        .addAllAttributes(agent.agent.attributes());
    agent.agent.config.domain().ifPresent(proto::setDomain);
    if (multiRole) {
      proto.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role));
    }
    for (String exec : fw.executors.getOrDefault(agent.id(), Map.of()).keySet()) {
      proto.addExecutorIds(Protos.ExecutorID.newBuilder().setValue(exec));
    }
    if (master.settings.offerTimeout().isPresent()) {
      Duration timeout = master.settings.offerTimeout().get();
      master.timers.schedule(() -> offerTimedOut(offer.id()), timeout.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return proto.build();
  }

  /**
   * UPDATE_FRAMEWORK with a FrameworkInfo and suppressed roles that passed Mesos' checks, as
   * Mesos' {@code Master::updateFramework} and the allocator's {@code updateFramework}: the
   * framework's info is replaced, the roles it left lose their filters and their suppression,
   * its suppressed roles become exactly {@code suppressed} (a role suppressed before and not now is
   * revived: its filters go), its offers to roles it no longer has are rescinded, and it is
   * offered again at once. Holds the master's lock.
   *
   * @param suppressed the call's {@code suppressed_roles}, each one of the framework's roles
   */
  void updateFramework(FrameworkEntry fw, Protos.FrameworkInfo info, Set<String> suppressed,
      List<Runnable> after) {
    Set<String> oldRoles = new HashSet<>(RoleAllocation.roles(fw.info));
    fw.info = info;
    Set<String> roles = new HashSet<>(RoleAllocation.roles(info));
    setSuppressedRoles(fw, oldRoles, suppressed);
    for (OfferEntry o : List.copyOf(master.offers.values())) {
      if (o.frameworkId().equals(fw.id().getValue()) && !roles.contains(o.role())) {
        master.offers.remove(o.id());
        recover(o);
        fw.send(master, rescindEvent(o.id()));
      }
    }
    after.add(this::allocateQuietly);
  }

  /**
   * SUBSCRIBE of a framework, new or again (its info already replaced): its suppressed roles
   * become exactly the call's {@code suppressed_roles}, as Mesos' {@code addFramework} and, for a
   * framework subscribing again, {@code updateFramework}. Holds the master's lock.
   *
   * @param oldRoles the framework's roles before this subscription (none for a new one)
   * @param suppressed the call's {@code suppressed_roles}, each one of the framework's roles
   */
  void subscribed(FrameworkEntry fw, Set<String> oldRoles, Set<String> suppressed) {
    setSuppressedRoles(fw, oldRoles, suppressed);
  }

  private void setSuppressedRoles(FrameworkEntry fw, Set<String> oldRoles,
      Set<String> suppressed) {
    Set<String> roles = new HashSet<>(RoleAllocation.roles(fw.info));
    Set<String> left = new HashSet<>(oldRoles);
    left.removeAll(roles);
    if (!left.isEmpty()) {
      fw.filters.clear(left);
    }
    Set<String> before = suppressedRoles.getOrDefault(fw.id().getValue(), Set.of());
    Set<String> revived = new HashSet<>(before);
    revived.removeAll(suppressed);
    revived.retainAll(roles);
    if (!revived.isEmpty()) {
      fw.filters.clear(revived);
    }
    if (suppressed.isEmpty()) {
      suppressedRoles.remove(fw.id().getValue());
    } else {
      suppressedRoles.put(fw.id().getValue(), new HashSet<>(suppressed));
    }
  }

  /** The roles of a framework that get no offers now; a copy. Holds the master's lock. */
  Set<String> suppressedRoles(FrameworkEntry fw) {
    return Set.copyOf(suppressedRoles.getOrDefault(fw.id().getValue(), Set.of()));
  }

  /** A framework was removed: its suppressed roles are forgotten. Holds the master's lock. */
  void removeFramework(FrameworkEntry fw) {
    suppressedRoles.remove(fw.id().getValue());
  }

  private static boolean worthOffering(Resources free) {
    return free.scalar("cpus") >= 0.01 || free.scalar("mem") >= 32;
  }

  private void offerTimedOut(String offerId) {
    SchedulerStream stream;
    synchronized (master) {
      OfferEntry offer = master.offers.remove(offerId);
      if (offer == null) {
        return;
      }
      recover(offer);
      FrameworkEntry fw = master.frameworks.get(offer.frameworkId());
      stream = fw == null ? null : fw.stream;
    }
    if (stream != null) {
      master.send(stream, rescindEvent(offerId));
    }
  }

  static Event rescindEvent(String offerId) {
    return Event.newBuilder().setType(Event.Type.RESCIND)
        .setRescind(Event.Rescind.newBuilder()
            .setOfferId(Protos.OfferID.newBuilder().setValue(offerId)))
        .build();
  }

  /**
   * Takes back every outstanding offer of a framework (offers do not survive disconnection).
   * Holds the master's lock.
   */
  void rescindOffers(FrameworkEntry fw) {
    master.offers.values().removeIf(o -> {
      if (o.frameworkId().equals(fw.id().getValue())) {
        recover(o);
        return true;
      }
      return false;
    });
  }

  /** An offer's resources go back to its agent, unless the agent is gone. Holds the lock. */
  void recover(OfferEntry offer) {
    AgentEntry agent = master.agents.get(offer.agentId());
    if (agent != null && !agent.gone) {
      agent.free = agent.free.plus(ProtoResources.unallocated(offer.resources()));
    }
  }

  /** DECLINE: the offers go back to their agents behind a refuse filter. Holds the lock. */
  void decline(FrameworkEntry fw, List<Protos.OfferID> ids, Protos.Filters filters) {
    Duration refuse = refuse(filters);
    for (Protos.OfferID id : ids) {
      OfferEntry offer = master.offers.get(id.getValue());
      if (offer != null && offer.frameworkId().equals(fw.id().getValue())) {
        master.offers.remove(id.getValue());
        recover(offer);
        fw.filters.refuse(offer.role(), offer.agentId(),
            ProtoResources.unallocated(offer.resources()), refuse, master.clock.instant());
      }
    }
  }

  /** The refuse time of a DECLINE or ACCEPT: Mesos' default 5 s when absent or negative. */
  static Duration refuse(Protos.Filters filters) {
    double seconds = filters != null && filters.hasRefuseSeconds()
        ? filters.getRefuseSeconds() : 5.0;
    return Duration.ofMillis((long) ((seconds < 0 ? 5.0 : seconds) * 1000));
  }

  /**
   * REVIVE: the named roles (every role of the framework when none is named) lose their filters
   * and their suppression, and the framework is offered again at once, as Mesos'
   * {@code reviveOffers}. The roles were checked ({@link RoleAllocation#callRoles}). Holds the
   * master's lock.
   */
  void revive(FrameworkEntry fw, List<String> roles, List<Runnable> after) {
    Set<String> suppressed = suppressedRoles.get(fw.id().getValue());
    if (roles.isEmpty()) {
      fw.filters.clear();
      suppressedRoles.remove(fw.id().getValue());
    } else {
      fw.filters.clear(roles);
      if (suppressed != null) {
        roles.forEach(suppressed::remove);
        if (suppressed.isEmpty()) {
          suppressedRoles.remove(fw.id().getValue());
        }
      }
    }
    after.add(this::allocateQuietly);
  }

  /**
   * SUPPRESS: no offers for the named roles (every role of the framework when none is named)
   * until they are revived, as Mesos' {@code suppressOffers}; the framework's other roles are
   * offered as before. The roles were checked ({@link RoleAllocation#callRoles}). Holds the lock.
   */
  void suppress(FrameworkEntry fw, List<String> roles) {
    suppressedRoles.computeIfAbsent(fw.id().getValue(), id -> new HashSet<>())
        .addAll(roles.isEmpty() ? RoleAllocation.roles(fw.info) : roles);
  }
}
