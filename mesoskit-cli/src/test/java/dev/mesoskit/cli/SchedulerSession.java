package dev.mesoskit.cli;

import dev.mesoskit.local.RawScheduler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A subscribed {@link RawScheduler} with its framework id, for ITs that speak the scheduler API
 * directly: builds the calls, acknowledges updates as they are taken.
 */
final class SchedulerSession implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);

  final RawScheduler raw;
  final Protos.FrameworkInfo info;
  final Event.Subscribed subscribed;

  private SchedulerSession(RawScheduler raw, Protos.FrameworkInfo info, Event.Subscribed sub) {
    this.raw = raw;
    this.info = info;
    this.subscribed = sub;
  }

  /** A framework with these roles (MULTI_ROLE) and capabilities, subscribed. */
  static SchedulerSession subscribe(URI master, String name, List<String> roles,
      Protos.FrameworkInfo.Capability.Type... capabilities) throws Exception {
    Protos.FrameworkInfo.Builder info = Protos.FrameworkInfo.newBuilder().setName(name)
        .setUser("root").addAllRoles(roles);
    for (Protos.FrameworkInfo.Capability.Type c : capabilities) {
      info.addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(c));
    }
    RawScheduler raw = new RawScheduler(master, false);
    raw.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build());
    Event.Subscribed sub = raw.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed();
    return new SchedulerSession(raw, info.setId(sub.getFrameworkId()).build(), sub);
  }

  /** A framework of this description, subscribed (MULTI_ROLE, TASK_KILLING_STATE). */
  static SchedulerSession subscribe(URI master, Protos.FrameworkInfo.Builder info)
      throws Exception {
    info.addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
        .setType(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE))
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
            .setType(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
    RawScheduler raw = new RawScheduler(master, false);
    raw.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build());
    Event.Subscribed sub = raw.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed();
    return new SchedulerSession(raw, info.setId(sub.getFrameworkId()).build(), sub);
  }

  /** Launches shell command tasks ({@code id}, {@code command}, ...) on the next offer. */
  Protos.AgentID launch(double cpus, double memMb, String... idsAndCommands) throws Exception {
    Protos.Offer offer = offers().get(0);
    Protos.Offer.Operation.Launch.Builder launch = Protos.Offer.Operation.Launch.newBuilder();
    for (int i = 0; i < idsAndCommands.length; i += 2) {
      launch.addTaskInfos(Protos.TaskInfo.newBuilder().setName(idsAndCommands[i])
          .setTaskId(Protos.TaskID.newBuilder().setValue(idsAndCommands[i]))
          .setAgentId(offer.getAgentId())
          .addResources(scalar("cpus", cpus)).addResources(scalar("mem", memMb))
          .setCommand(Protos.CommandInfo.newBuilder().setShell(true)
              .setValue(idsAndCommands[i + 1])));
    }
    String answer = accept(offer.getId(), Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH).setLaunch(launch).build());
    if (!answer.equals("202")) {
      throw new AssertionError("ACCEPT answered " + answer);
    }
    return offer.getAgentId();
  }

  /** Takes updates until this task reached this state. */
  void awaitState(String taskId, Protos.TaskState state) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Protos.TaskStatus status = update();
      if (status.getTaskId().getValue().equals(taskId) && status.getState() == state) {
        return;
      }
    }
    throw new AssertionError(taskId + " did not reach " + state + " within " + WAIT);
  }

  /** Declines the offers it holds for an hour and suppresses more, so others get offers. */
  void stopOffers() throws Exception {
    List<Protos.Offer> held = new java.util.ArrayList<>();
    for (Event e : raw.drain()) {
      if (e.getType() == Event.Type.OFFERS) {
        held.addAll(e.getOffers().getOffersList());
      }
    }
    send(call(Call.Type.SUPPRESS));
    if (!held.isEmpty()) {
      decline(held, 3600);
    }
  }

  Protos.FrameworkID id() {
    return info.getId();
  }

  /** A call of this framework. */
  Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(id());
  }

  /** Sends a call; returns "status body". */
  String send(Call.Builder call) throws Exception {
    return raw.call(call.build());
  }

  /** The next OFFERS event's offers. */
  List<Protos.Offer> offers() throws InterruptedException {
    return raw.next(Event.Type.OFFERS, WAIT).getOffers().getOffersList();
  }

  /** The next update, acknowledged when it has a uuid. */
  Protos.TaskStatus update() throws Exception {
    Protos.TaskStatus status = raw.next(Event.Type.UPDATE, WAIT).getUpdate().getStatus();
    if (!status.getUuid().isEmpty()) {
      String answer = send(call(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge
          .newBuilder().setAgentId(status.getAgentId()).setTaskId(status.getTaskId())
          .setUuid(status.getUuid())));
      if (!answer.equals("202")) {
        throw new AssertionError("ACKNOWLEDGE answered " + answer);
      }
    }
    return status;
  }

  /** Accepts one offer with these operations. */
  String accept(Protos.OfferID offer, Protos.Offer.Operation... operations) throws Exception {
    return send(call(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer)
        .addAllOperations(List.of(operations))));
  }

  /** Declines offers; refused for {@code refuseSeconds}. */
  String decline(List<Protos.Offer> offers, double refuseSeconds) throws Exception {
    Call.Decline.Builder d = Call.Decline.newBuilder()
        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(refuseSeconds));
    offers.forEach(o -> d.addOfferIds(o.getId()));
    return send(call(Call.Type.DECLINE).setDecline(d));
  }

  static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  @Override
  public void close() {
    raw.close();
  }
}
