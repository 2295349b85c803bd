package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which agents a framework is offered, as Mesos' hierarchical allocator decides
 * ({@code isCapableOfReceivingAgent}): agents with gpus only for GPU_RESOURCES frameworks,
 * agents in another region than the master's only for REGION_AWARE frameworks.
 *
 * <p>A framework alone in the cluster is offered every agent it may have in one allocation
 * cycle, so its first OFFERS event lists exactly the agents it is allowed.
 */
class CapabilityFiltersIT {
  private LocalCluster cluster;
  private final List<SchedulerSession> sessions = new ArrayList<>();

  @AfterEach
  void stop() {
    sessions.forEach(SchedulerSession::close);
    cluster.close();
  }

  private SchedulerSession subscribe(Type... capabilities) throws Exception {
    SchedulerSession s = SchedulerSession.subscribe(cluster.masterUri(), "filters-it",
        List.of("*"), capabilities);
    sessions.add(s);
    return s;
  }

  /** The first offer of {@code agentId} the framework gets (each agent is offered once). */
  private static Protos.Offer offerOf(SchedulerSession s, String agentId) throws Exception {
    while (true) {
      for (Protos.Offer offer : s.offers()) {
        if (offer.getAgentId().getValue().equals(agentId)) {
          return offer;
        }
      }
    }
  }

  private static double gpus(Protos.Offer offer) {
    return offer.getResourcesList().stream().filter(r -> r.getName().equals("gpus"))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  @Test
  void offersAnAgentWithGpusOnlyToFrameworksWithGpuResources() throws Exception {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]")
        .agentResources(1, "cpus:2;mem:1024;disk:100;gpus:1").start();

    SchedulerSession plain = subscribe(Type.MULTI_ROLE);
    List<Protos.Offer> plainOffers = plain.offers();
    assertThat(plainOffers).extracting(o -> o.getAgentId().getValue()).containsExactly("agent-2");
    assertThat(plain.decline(plainOffers, 3600)).isEqualTo("202");

    SchedulerSession gpu = subscribe(Type.MULTI_ROLE, Type.GPU_RESOURCES);
    Protos.Offer gpuOffer = offerOf(gpu, "agent-1");
    assertThat(gpus(gpuOffer)).isEqualTo(1.0);
  }

  @Test
  void offersAnAgentInAnotherRegionOnlyToRegionAwareFrameworks() throws Exception {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]")
        .masterDomain("us-east:us-east-1a")
        .agentDomain(1, "us-east:us-east-1b")
        .agentDomain(2, "eu-west:eu-west-1a").start();

    SchedulerSession local = subscribe(Type.MULTI_ROLE);
    assertThat(local.subscribed.getMasterInfo().getDomain().getFaultDomain().getRegion()
        .getName()).isEqualTo("us-east");
    List<Protos.Offer> localOffers = local.offers();
    assertThat(localOffers).extracting(o -> o.getAgentId().getValue()).containsExactly("agent-1");
    assertThat(localOffers.get(0).getDomain().getFaultDomain().getZone().getName())
        .isEqualTo("us-east-1b");
    assertThat(local.decline(localOffers, 3600)).isEqualTo("202");

    SchedulerSession aware = subscribe(Type.MULTI_ROLE, Type.REGION_AWARE);
    Protos.Offer remote = offerOf(aware, "agent-2");
    assertThat(remote.getDomain().getFaultDomain().getRegion().getName()).isEqualTo("eu-west");
  }
}
