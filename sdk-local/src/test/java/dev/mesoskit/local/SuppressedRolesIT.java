package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Suppression and refuse filters per role, as Mesos' master and hierarchical allocator keep them
 * ({@code Master::suppress}, {@code Master::revive}, {@code Master::updateFramework},
 * {@code HierarchicalAllocatorProcess::suppressRoles}, {@code reviveRoles},
 * {@code updateFramework}, {@code offerFilters[role][agent]}): a MULTI_ROLE framework with roles
 * {@code a} and {@code b} on one agent.
 */
class SuppressedRolesIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration QUIET = Duration.ofMillis(500);

  private LocalCluster cluster;
  private final List<RawScheduler> schedulers = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]")
        .allocationInterval(Duration.ofMillis(50))
        .start();
  }

  @AfterEach
  void stop() {
    schedulers.forEach(RawScheduler::close);
    cluster.close();
  }

  @Test
  void rolesSuppressedOnSubscribeGetNoOffersWhileTheOthersKeepGettingThem() throws Exception {
    Fw fw = subscribe("a");

    assertThat(fw.offerRoles(6)).containsOnly("b");
  }

  @Test
  void suppressAndReviveNamingRolesAffectOnlyThoseRoles() throws Exception {
    Fw fw = subscribe();
    assertThat(fw.offerRoles(4)).containsOnly("a", "b");

    assertThat(fw.send(fw.call(Call.Type.SUPPRESS)
        .setSuppress(Call.Suppress.newBuilder().addRoles("a")))).isEqualTo("202");
    fw.settle();
    assertThat(fw.offerRoles(6)).containsOnly("b");

    assertThat(fw.send(fw.call(Call.Type.REVIVE)
        .setRevive(Call.Revive.newBuilder().addRoles("a")))).isEqualTo("202");
    assertThat(fw.offerRoles(6)).contains("a");
  }

  @Test
  void suppressNamingNoRoleSuppressesEveryRoleAndReviveOfOneRoleBringsOnlyIt() throws Exception {
    Fw fw = subscribe();
    Protos.Offer held = fw.offer();

    assertThat(fw.send(fw.call(Call.Type.SUPPRESS))).isEqualTo("202");
    fw.decline(held, 0);
    assertThat(fw.raw.drainFor(QUIET)).extracting(Event::getType)
        .doesNotContain(Event.Type.OFFERS);

    assertThat(fw.send(fw.call(Call.Type.REVIVE)
        .setRevive(Call.Revive.newBuilder().addRoles("b")))).isEqualTo("202");
    assertThat(fw.offerRoles(6)).containsOnly("b");
  }

  @Test
  void aSuppressOrReviveNamingARoleNotTheFrameworksIsDroppedWholeButAnswered202()
      throws Exception {
    Fw fw = subscribe();

    assertThat(fw.send(fw.call(Call.Type.SUPPRESS)
        .setSuppress(Call.Suppress.newBuilder().addRoles("a").addRoles("c")))).isEqualTo("202");
    assertThat(fw.send(fw.call(Call.Type.SUPPRESS)
        .setSuppress(Call.Suppress.newBuilder().addRoles("a").addRoles("a/../b"))))
        .isEqualTo("202");

    assertThat(fw.offerRoles(6)).containsOnly("a", "b");
  }

  @Test
  void updateFrameworkSetsTheSuppressedRolesToExactlyThoseListed() throws Exception {
    Fw fw = subscribe("a");
    assertThat(fw.offerRoles(3)).containsOnly("b");

    assertThat(fw.send(fw.call(Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(
        Call.UpdateFramework.newBuilder().setFrameworkInfo(fw.info).addSuppressedRoles("b"))))
        .isEqualTo("200");

    fw.settle();
    assertThat(fw.offerRoles(6)).containsOnly("a");

    assertThat(fw.send(fw.call(Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(
        Call.UpdateFramework.newBuilder().setFrameworkInfo(fw.info)))).isEqualTo("200");
    assertThat(fw.offerRoles(8)).contains("a", "b");
  }

  @Test
  void suppressedRolesThatAreNotTheFrameworksAreRefusedInMesosWords() throws Exception {
    Fw fw = subscribe();
    assertThat(fw.send(fw.call(Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(
        Call.UpdateFramework.newBuilder().setFrameworkInfo(fw.info).addSuppressedRoles("z")
            .addSuppressedRoles("c").addSuppressedRoles("a")))).isEqualTo("400 'UpdateFramework'"
                + " call is not valid: Suppressed roles { c, z } are not contained in the set of"
                + " roles");

    RawScheduler raw = new RawScheduler(cluster.masterUri(), false);
    schedulers.add(raw);
    raw.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info())
            .addSuppressedRoles("c")).build());
    assertThat(raw.subscribeStatus).isEqualTo(200);
    assertThat(raw.next(Event.Type.ERROR, WAIT).getError().getMessage())
        .isEqualTo("Suppressed roles { c } are not contained in the set of roles");
  }

  @Test
  void aDeclineFiltersOnlyTheRoleOfTheDeclinedOffer() throws Exception {
    Fw fw = subscribe();
    Protos.Offer first = fw.offer();
    String declined = first.getAllocationInfo().getRole();
    String other = declined.equals("a") ? "b" : "a";

    fw.decline(first, 60);

    assertThat(fw.offerRoles(6)).containsOnly(other);
  }

  @Test
  void anAcceptFiltersWhatItLeftForTheRoleOfItsOfferOnly() throws Exception {
    Fw fw = subscribe();
    Protos.Offer first = fw.offer();
    String accepted = first.getAllocationInfo().getRole();
    String other = accepted.equals("a") ? "b" : "a";

    // An ACCEPT without operations declines the whole offer implicitly, under its filters.
    assertThat(fw.send(fw.call(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(first.getId())
        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(60))))).isEqualTo("202");

    assertThat(fw.offerRoles(6)).containsOnly(other);
  }

  @Test
  void reviveOfOneRoleClearsOnlyThatRolesFilters() throws Exception {
    Fw fw = subscribe();
    // Filter both roles for a minute, one after the other.
    List<String> filtered = new ArrayList<>();
    while (filtered.size() < 2) {
      Protos.Offer offer = fw.offer();
      filtered.add(offer.getAllocationInfo().getRole());
      fw.decline(offer, 60);
    }
    assertThat(filtered).containsExactlyInAnyOrder("a", "b");
    assertThat(fw.raw.drainFor(QUIET)).extracting(Event::getType)
        .doesNotContain(Event.Type.OFFERS);

    assertThat(fw.send(fw.call(Call.Type.REVIVE)
        .setRevive(Call.Revive.newBuilder().addRoles("b")))).isEqualTo("202");

    assertThat(fw.offerRoles(6)).containsOnly("b");
  }

  // ================================================================ helpers

  private static Protos.FrameworkInfo.Builder info() {
    return Protos.FrameworkInfo.newBuilder().setName("suppressed-roles-it").setUser("root")
        .addRoles("a").addRoles("b")
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
            .setType(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE));
  }

  private Fw subscribe(String... suppressed) throws Exception {
    RawScheduler raw = new RawScheduler(cluster.masterUri(), false);
    schedulers.add(raw);
    raw.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info())
            .addAllSuppressedRoles(List.of(suppressed))).build());
    Protos.FrameworkID id = raw.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed()
        .getFrameworkId();
    return new Fw(raw, info().setId(id).build());
  }

  /** A subscribed framework and the offers it holds. */
  private static final class Fw {
    final RawScheduler raw;
    final Protos.FrameworkInfo info;
    final List<Protos.Offer> held = new ArrayList<>();

    Fw(RawScheduler raw, Protos.FrameworkInfo info) {
      this.raw = raw;
      this.info = info;
    }

    Call.Builder call(Call.Type type) {
      return Call.newBuilder().setType(type).setFrameworkId(info.getId());
    }

    String send(Call.Builder call) throws Exception {
      return raw.call(call.build());
    }

    /** The next offer, waiting for an OFFERS event when none is held. */
    Protos.Offer offer() throws Exception {
      while (held.isEmpty()) {
        held.addAll(raw.next(Event.Type.OFFERS, WAIT).getOffers().getOffersList());
      }
      return held.remove(0);
    }

    void decline(Protos.Offer offer, double refuseSeconds) throws Exception {
      assertThat(send(call(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
          .addOfferIds(offer.getId())
          .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(refuseSeconds)))))
          .isEqualTo("202");
    }

    /**
     * Declines, without filters, every offer held and every offer that arrives within a quiet
     * time: an offer made before the last call took effect (one at most, as it holds the whole
     * agent) does not count against it.
     */
    void settle() throws Exception {
      for (Event e : raw.drainFor(QUIET)) {
        if (e.getType() == Event.Type.OFFERS) {
          held.addAll(e.getOffers().getOffersList());
        }
      }
      for (Protos.Offer o : List.copyOf(held)) {
        decline(o, 0);
      }
      held.clear();
    }

    /** The roles of the next {@code count} offers, each declined without a filter. */
    List<String> offerRoles(int count) throws Exception {
      List<String> roles = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Protos.Offer o = offer();
        roles.add(o.getAllocationInfo().getRole());
        decline(o, 0);
      }
      return roles;
    }
  }
}
