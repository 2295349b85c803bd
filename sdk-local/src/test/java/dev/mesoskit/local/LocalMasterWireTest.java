package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The master's scheduler API on the wire, status codes and event sequences as Mesos has them. */
class LocalMasterWireTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:1024;disk:1000;ports:[31000-31009]")
        .agentAttributes("rack:r1")
        .allocationInterval(Duration.ofMillis(20))
        .start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Call subscribe(String name, String id, boolean partitionAware) {
    Protos.FrameworkInfo.Builder info = Protos.FrameworkInfo.newBuilder().setUser("u")
        .setName(name).addRoles("*").setFailoverTimeout(60)
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
            .setType(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE));
    if (partitionAware) {
      info.addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
          .setType(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
    if (id != null) {
      info.setId(Protos.FrameworkID.newBuilder().setValue(id));
      call.setFrameworkId(Protos.FrameworkID.newBuilder().setValue(id));
    }
    return call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
  }

  private static Call.Builder call(String fwId, Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(fwId));
  }

  private static int post(String contentType, String accept, byte[] body, String streamId)
      throws Exception {
    String answer = RawScheduler.post(cluster.masterUri(), contentType, accept, body, streamId);
    return Integer.parseInt(answer.split(" ", 2)[0]);
  }

  @Test
  void subscribeAnswersAStreamThatStartsWithSubscribedThenOffersEveryAgent() throws Exception {
    try (RawScheduler s = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-offers", null, true))) {
      assertThat(s.subscribeStatus).isEqualTo(200);
      assertThat(s.contentType).isEqualTo("application/x-protobuf");
      assertThat(s.streamId).isNotBlank();
      Event subscribed = s.next(Event.Type.SUBSCRIBED, WAIT);
      assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
      String fw = subscribed.getSubscribed().getFrameworkId().getValue();

      java.util.Set<String> agents = new java.util.TreeSet<>();
      while (agents.size() < 2) {
        for (Protos.Offer o : s.next(Event.Type.OFFERS, WAIT).getOffers().getOffersList()) {
          assertThat(o.getFrameworkId().getValue()).isEqualTo(fw);
          assertThat(o.getHostname()).isEqualTo("127.0.0.1");
          assertThat(o.getAttributes(0).getText().getValue()).isEqualTo("r1");
          assertThat(o.getResourcesList()).allSatisfy(r ->
              assertThat(r.getAllocationInfo().getRole()).isEqualTo("*"));
          agents.add(o.getAgentId().getValue());
          assertThat(s.call(call(fw, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
              .addOfferIds(o.getId())
              .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(60))).build()))
              .isEqualTo("202");
        }
      }
      assertThat(agents).containsExactly("agent-1", "agent-2");
      assertThat(s.call(call(fw, Call.Type.TEARDOWN).build())).isEqualTo("202");
    }
  }

  @Test
  void speaksJsonWithProtoFieldNames() throws Exception {
    try (RawScheduler s = new RawScheduler(cluster.masterUri(), true)
        .subscribe(subscribe("wire-json", "json-fw", true))) {
      assertThat(s.subscribeStatus).isEqualTo(200);
      assertThat(s.contentType).isEqualTo("application/json");
      assertThat(s.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId().getValue())
          .isEqualTo("json-fw");
      assertThat(s.call(call("json-fw", Call.Type.SUPPRESS).build())).isEqualTo("202");
      assertThat(s.call(call("json-fw", Call.Type.TEARDOWN).build())).isEqualTo("202");
    }
  }

  @Test
  void refusesBadContentTypesAcceptsStreamIdsAndCallsBeforeSubscribing() throws Exception {
    byte[] revive = call("nobody", Call.Type.REVIVE).build().toByteArray();
    assertThat(post("text/plain", "application/x-protobuf", revive, null)).isEqualTo(415);
    assertThat(post(null, "application/x-protobuf", revive, null)).isEqualTo(400);
    byte[] subscribe = subscribe("wire-accept", null, true).toByteArray();
    assertThat(post("application/x-protobuf", "text/html", subscribe, null)).isEqualTo(406);
    assertThat(post("application/x-protobuf", "application/x-protobuf", revive, "x"))
        .as("a framework that never subscribed").isEqualTo(400);

    try (RawScheduler s = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-ids", "ids-fw", true))) {
      s.next(Event.Type.SUBSCRIBED, WAIT);
      byte[] ok = call("ids-fw", Call.Type.REVIVE).build().toByteArray();
      assertThat(post("application/x-protobuf", "application/x-protobuf", ok, null))
          .as("missing stream id").isEqualTo(400);
      assertThat(post("application/x-protobuf", "application/x-protobuf", ok, "stale"))
          .as("stale stream id").isEqualTo(400);
      assertThat(post("application/x-protobuf", "application/x-protobuf", ok, s.streamId))
          .isEqualTo(202);
      assertThat(post("application/x-protobuf", "application/x-protobuf",
          "not a protobuf".getBytes(), s.streamId)).isEqualTo(400);
      assertThat(s.call(call("ids-fw", Call.Type.TEARDOWN).build())).isEqualTo("202");
    }
  }

  @Test
  void anAcceptOfAnUnknownOfferDropsItsTasksWithoutAUuid() throws Exception {
    try (RawScheduler s = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-drop", "drop-fw", true))) {
      s.next(Event.Type.SUBSCRIBED, WAIT);
      Call accept = call("drop-fw", Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(Protos.OfferID.newBuilder().setValue("no-such-offer"))
          .addOperations(launch(task("t1", "agent-1", 1, 128)))).build();
      assertThat(s.call(accept)).isEqualTo("202");
      Protos.TaskStatus status = s.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
      assertThat(status.getTaskId().getValue()).isEqualTo("t1");
      assertThat(status.getState()).isEqualTo(Protos.TaskState.TASK_DROPPED);
      assertThat(status.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_INVALID_OFFERS);
      assertThat(status.getMessage())
          .isEqualTo("Task launched with invalid offers: Offer no-such-offer is no longer valid");
      assertThat(status.hasUuid()).isFalse();
      s.call(call("drop-fw", Call.Type.TEARDOWN).build());
    }
  }

  @Test
  void frameworksThatAreNotPartitionAwareGetLostInsteadOfDropped() throws Exception {
    try (RawScheduler s = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-lost", "lost-fw", false))) {
      s.next(Event.Type.SUBSCRIBED, WAIT);
      s.call(call("lost-fw", Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(Protos.OfferID.newBuilder().setValue("gone"))
          .addOperations(launch(task("t1", "agent-1", 1, 128)))).build());
      assertThat(s.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus().getState())
          .isEqualTo(Protos.TaskState.TASK_LOST);
      s.call(call("lost-fw", Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
          .addTasks(Call.Reconcile.Task.newBuilder()
              .setTaskId(Protos.TaskID.newBuilder().setValue("never")))).build());
      assertThat(s.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus().getState())
          .isEqualTo(Protos.TaskState.TASK_LOST);
      s.call(call("lost-fw", Call.Type.TEARDOWN).build());
    }
  }

  @Test
  void resourcesFreedByAFinishedTaskAreOfferedAgainDespiteALongRefuseFilterOnTheRest()
      throws Exception {
    try (RawScheduler s = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-filters", "filters-fw", true))) {
      s.next(Event.Type.SUBSCRIBED, WAIT);
      Protos.Filters minute = Protos.Filters.newBuilder().setRefuseSeconds(60).build();
      java.util.Map<String, Protos.Offer> byAgent = new java.util.TreeMap<>();
      while (byAgent.size() < 2) {
        for (Protos.Offer o : s.next(Event.Type.OFFERS, WAIT).getOffers().getOffersList()) {
          byAgent.put(o.getAgentId().getValue(), o);
        }
      }
      // agent-1: one short task, the rest of the offer refused for a minute; agent-2: declined
      // for a minute.
      Protos.Offer used = byAgent.get("agent-1");
      s.call(call("filters-fw", Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(used.getId()).setFilters(minute)
          .addOperations(launch(task("short", "agent-1", 1, 64)))).build());
      s.call(call("filters-fw", Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
          .addOfferIds(byAgent.get("agent-2").getId()).setFilters(minute)).build());

      // The agent sends the next update when the last one is acknowledged.
      Event next;
      while ((next = s.next(e -> e.getType() == Event.Type.UPDATE
          || e.getType() == Event.Type.OFFERS, WAIT)).getType() == Event.Type.UPDATE) {
        Protos.TaskStatus status = next.getUpdate().getStatus();
        s.call(call("filters-fw", Call.Type.ACKNOWLEDGE).setAcknowledge(
            Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
                .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
      }
      // When the task ends its resources come back: agent-1's free resources exceed what was
      // refused, so it is offered whole at once; agent-2's are unchanged and stay hidden.
      Protos.Offer again = next.getOffers().getOffers(0);
      assertThat(s.seen).anySatisfy(e -> assertThat(e.getUpdate().getStatus().getState())
          .isEqualTo(Protos.TaskState.TASK_FINISHED));
      assertThat(again.getAgentId().getValue()).isEqualTo("agent-1");
      assertThat(again.getResourcesList()).filteredOn(r -> r.getName().equals("cpus"))
          .singleElement().satisfies(r -> assertThat(r.getScalar().getValue()).isEqualTo(2.0));
      s.call(call("filters-fw", Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
          .addOfferIds(again.getId()).setFilters(minute)).build());
      Thread.sleep(300); // 15 allocation intervals
      assertThat(s.events.stream().filter(e -> e.getType() == Event.Type.OFFERS).toList())
          .as("no offer while both agents' free resources are refused").isEmpty();
      s.call(call("filters-fw", Call.Type.TEARDOWN).build());
    }
  }

  @Test
  void aTaskAskingForMoreThanItsOffersIsAnErrorAndTheOfferIsUsedUp() throws Exception {
    try (RawScheduler s = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-error", "error-fw", true))) {
      s.next(Event.Type.SUBSCRIBED, WAIT);
      Protos.Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
      s.call(call("error-fw", Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(offer.getId())
          .addOperations(launch(task("big", offer.getAgentId().getValue(), 64, 128)))).build());
      Protos.TaskStatus status = s.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
      assertThat(status.getState()).isEqualTo(Protos.TaskState.TASK_ERROR);
      assertThat(status.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
      String ports = offer.getAgentId().getValue().equals("agent-1")
          ? "[31000-31004]" : "[31005-31009]";
      assertThat(status.getMessage()).isEqualTo("Total resources cpus(allocated: *):64;"
          + " mem(allocated: *):128 required by task and its executor is more than available"
          + " cpus(allocated: *):2; mem(allocated: *):1024; disk(allocated: *):1000;"
          + " ports(allocated: *):" + ports);
      assertThat(status.hasUuid()).isFalse();

      // The same offer cannot be used twice.
      s.call(call("error-fw", Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(offer.getId())
          .addOperations(launch(task("again", offer.getAgentId().getValue(), 1, 64)))).build());
      Protos.TaskStatus again = s.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
      assertThat(again.getState()).isEqualTo(Protos.TaskState.TASK_DROPPED);
      s.call(call("error-fw", Call.Type.TEARDOWN).build());
    }
  }

  @Test
  void reconcilingATaskTheMasterDoesNotKnowAnswersUnknownWithoutAUuid() throws Exception {
    try (RawScheduler s = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-reconcile", "rec-fw", true))) {
      s.next(Event.Type.SUBSCRIBED, WAIT);
      s.call(call("rec-fw", Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
          .addTasks(Call.Reconcile.Task.newBuilder()
              .setTaskId(Protos.TaskID.newBuilder().setValue("ghost")))
          .addTasks(Call.Reconcile.Task.newBuilder()
              .setTaskId(Protos.TaskID.newBuilder().setValue("ghost-on-agent"))
              .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1")))).build());
      Protos.TaskStatus first = s.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
      Protos.TaskStatus second = s.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
      assertThat(List.of(first.getState(), second.getState()))
          .containsExactly(Protos.TaskState.TASK_UNKNOWN, Protos.TaskState.TASK_GONE);
      assertThat(first.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_RECONCILIATION);
      assertThat(first.getMessage()).isEqualTo("Reconciliation: Task is unknown");
      assertThat(second.getMessage()).isEqualTo("Reconciliation: Task is unknown to the agent");
      assertThat(first.hasUuid() || second.hasUuid()).isFalse();
      s.call(call("rec-fw", Call.Type.TEARDOWN).build());
    }
  }

  @Test
  void aSecondSubscriberWithTheSameIdTakesOverAndTheFirstGetsAnError() throws Exception {
    try (RawScheduler first = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-failover", "failover-fw", true))) {
      first.next(Event.Type.SUBSCRIBED, WAIT);
      try (RawScheduler second = new RawScheduler(cluster.masterUri(), false)
          .subscribe(subscribe("wire-failover", "failover-fw", true))) {
        second.next(Event.Type.SUBSCRIBED, WAIT);
        assertThat(first.next(Event.Type.ERROR, WAIT).getError().getMessage())
            .isEqualTo("Framework failed over");
        first.ended.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(second.call(call("failover-fw", Call.Type.TEARDOWN).build())).isEqualTo("202");
      }
    }
    try (RawScheduler late = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribe("wire-failover", "failover-fw", true))) {
      assertThat(late.next(Event.Type.ERROR, WAIT).getError().getMessage())
          .isEqualTo("Framework has been removed");
    }
  }

  @Test
  void subscribeIdsMustAgree() throws Exception {
    Call bad = subscribe("wire-bad", "a", true).toBuilder()
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("b")).build();
    assertThat(post("application/x-protobuf", "application/x-protobuf", bad.toByteArray(), null))
        .isEqualTo(400);
  }

  @Test
  void redirectStateAndHealthAnswer() throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(
        cluster.masterUri().resolve("/redirect")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location"))
        .hasValue("//" + cluster.masterAddress());
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        cluster.masterUri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> state = http.send(HttpRequest.newBuilder(
        cluster.masterUri().resolve("/state")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(state.body()).contains("\"slaves\":[").contains("\"id\":\"agent-1\"")
        .contains("\"ports\":\"[31000-31004]\"").contains("\"ports\":\"[31005-31009]\"");
  }

  static Protos.Offer.Operation launch(Protos.TaskInfo task) {
    return Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH)
        .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build();
  }

  static Protos.TaskInfo task(String id, String agent, double cpus, double mem) {
    return Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agent))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("true"))
        .addResources(scalar("cpus", cpus)).addResources(scalar("mem", mem))
        .build();
  }

  static Protos.Resource scalar(String name, double v) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(v))
        .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("*")).build();
  }
}
