package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MULTI_ROLE frameworks: offers per allocation role, allocation_info as recorded from Mesos 1.12
 * ({@code mesos-reference/scheduler/g-allocation-info-*.json}), static reservations, and
 * UPDATE_FRAMEWORK changing the roles.
 */
class MultiRoleIT {
  private LocalCluster cluster;
  private final List<SchedulerSession> sessions = new ArrayList<>();

  @AfterEach
  void stop() {
    sessions.forEach(SchedulerSession::close);
    cluster.close();
  }

  private SchedulerSession subscribe(List<String> roles, Type... capabilities)
      throws Exception {
    SchedulerSession s = SchedulerSession.subscribe(cluster.masterUri(), "roles-it", roles,
        capabilities);
    sessions.add(s);
    return s;
  }

  private static String reservationRole(Protos.Resource r) {
    if (r.getReservationsCount() > 0) {
      return r.getReservations(r.getReservationsCount() - 1).getRole();
    }
    @SuppressWarnings("deprecation")
    String role = r.getRole();
    return role.isEmpty() ? "*" : role;
  }

  @Test
  void offersEachRoleItsOwnResourcesWithAllocationInfoAndReservationsOnlyToTheirRole()
      throws Exception {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]")
        .agentResources(1, "cpus(web):1;cpus:2;mem:1024;disk:100;ports:[31010-31019]").start();
    SchedulerSession fw = subscribe(List.of("web", "batch"), Type.MULTI_ROLE);

    Set<String> rolesSeen = new HashSet<>();
    while (rolesSeen.size() < 2) {
      List<Protos.Offer> offers = fw.offers();
      for (Protos.Offer offer : offers) {
        String role = offer.getAllocationInfo().getRole();
        rolesSeen.add(role);
        assertThat(role).isIn("web", "batch");
        for (Protos.Resource r : offer.getResourcesList()) {
          assertThat(r.getAllocationInfo().getRole()).isEqualTo(role);
          assertThat(reservationRole(r)).isIn("*", role);
        }
      }
      assertThat(fw.decline(offers, 0)).isEqualTo("202");
    }
  }

  @Test
  void refusesATaskAllocatedToAnotherRoleWithMesosMessageAndFillsInAMissingOne()
      throws Exception {
    cluster = LocalCluster.builder().agents(1)
        .agentResources(1, "ports:[31000-31999];cpus:2;mem:4096;disk:10240").start();
    SchedulerSession fw = subscribe(List.of("*"), Type.MULTI_ROLE, Type.PARTITION_AWARE);
    Protos.Offer offer = fw.offers().get(0);
    Protos.Resource.AllocationInfo other = Protos.Resource.AllocationInfo.newBuilder()
        .setRole("other-role").build();
    Protos.TaskInfo wrong = Protos.TaskInfo.newBuilder().setName("wrong-alloc-role")
        .setTaskId(Protos.TaskID.newBuilder().setValue("wrong-alloc-role"))
        .setAgentId(offer.getAgentId())
        .addResources(SchedulerSession.scalar("cpus", 0.1).toBuilder().setAllocationInfo(other))
        .addResources(SchedulerSession.scalar("mem", 32).toBuilder().setAllocationInfo(other))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 2")).build();
    assertThat(fw.accept(offer.getId(), Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH)
        .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(wrong)).build()))
        .isEqualTo("202");

    Protos.TaskStatus error = fw.update();
    assertThat(error.getState()).isEqualTo(Protos.TaskState.TASK_ERROR);
    assertThat(error.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
    assertThat(error.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_MASTER);
    assertThat(error.hasUuid()).isFalse();
    assertThat(error.getMessage()).isEqualTo("Total resources cpus(allocated: other-role):0.1;"
        + " mem(allocated: other-role):32 required by task and its executor is more than"
        + " available ports(allocated: *):[31000-31999]; cpus(allocated: *):2;"
        + " mem(allocated: *):4096; disk(allocated: *):10240");
  }

  @Test
  void updateFrameworkAddingARoleGetsOffersForIt() throws Exception {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]").start();
    SchedulerSession fw = subscribe(List.of("a"), Type.MULTI_ROLE);
    List<Protos.Offer> first = fw.offers();
    assertThat(first).extracting(o -> o.getAllocationInfo().getRole()).containsOnly("a");

    Protos.FrameworkInfo updated = fw.info.toBuilder().clearRoles().addRoles("a").addRoles("b")
        .build();
    assertThat(fw.send(fw.call(Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(
        Call.UpdateFramework.newBuilder().setFrameworkInfo(updated)))).isEqualTo("200");
    assertThat(fw.decline(first, 0)).isEqualTo("202");

    String role = "a";
    while (!role.equals("b")) {
      List<Protos.Offer> offers = fw.offers();
      role = offers.get(0).getAllocationInfo().getRole();
      assertThat(fw.decline(offers, 0)).isEqualTo("202");
    }
  }

  @Test
  void updateFrameworkRemovingARoleRescindsItsOffers() throws Exception {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]").start();
    SchedulerSession fw = subscribe(List.of("a"), Type.MULTI_ROLE);
    Protos.Offer offer = fw.offers().get(0);

    Protos.FrameworkInfo updated = fw.info.toBuilder().clearRoles().addRoles("b").build();
    assertThat(fw.send(fw.call(Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(
        Call.UpdateFramework.newBuilder().setFrameworkInfo(updated)))).isEqualTo("200");

    assertThat(fw.raw.next(Event.Type.RESCIND, SchedulerSession.WAIT).getRescind().getOfferId())
        .isEqualTo(offer.getId());
    assertThat(fw.offers().get(0).getAllocationInfo().getRole()).isEqualTo("b");
  }

  @Test
  void updateFrameworkChangingTheUserIsRefusedInMesosWords() throws Exception {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:1024;disk:100;ports:[31000-31009]").start();
    SchedulerSession fw = subscribe(List.of("a"), Type.MULTI_ROLE);
    Protos.FrameworkInfo updated = fw.info.toBuilder().setUser("nobody").build();
    assertThat(fw.send(fw.call(Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(
        Call.UpdateFramework.newBuilder().setFrameworkInfo(updated)))).isEqualTo(
            "400 FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is"
                + " unsupported; attempted to update from 'root' to 'nobody'");
  }
}
