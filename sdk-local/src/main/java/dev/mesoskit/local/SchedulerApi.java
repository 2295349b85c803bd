package dev.mesoskit.local;

import static dev.mesoskit.local.LocalMaster.text;

import dev.mesoskit.local.LocalMaster.AgentEntry;
import dev.mesoskit.local.LocalMaster.ExecutorEntry;
import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import dev.mesoskit.local.LocalMaster.TaskEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/scheduler} of a {@link LocalMaster} and the subscriptions it holds: each
 * request checked in Mesos' order, each call run against the master's books, and each
 * framework's stream, disconnection, failover timer and removal.
 *
 * <p>Threading: HTTP threads and the master's timers call it; it touches the books only under
 * the master's lock (the {@link LocalMaster} monitor), and delivers to agents and streams
 * outside it, as the master always has.
 */
final class SchedulerApi {
  /** Logs as the master, under whose name these lines have always been written. */
  private static final Logger log = LoggerFactory.getLogger(LocalMaster.class);
  static final String PATH = "/api/v1/scheduler";

  private final LocalMaster master;
  private final Allocator allocator;
  private final OfferOperations operations;
  private final AtomicInteger frameworkIds = new AtomicInteger();

  SchedulerApi(LocalMaster master, Allocator allocator, OfferOperations operations) {
    this.master = master;
    this.allocator = allocator;
    this.operations = operations;
  }

  /**
   * {@code POST /api/v1/scheduler}, checked in Mesos' order ({@code Master::Http::scheduler}):
   * recovery, method, Content-Type, body, call validation, then for SUBSCRIBE the Accept header
   * and for every other call the framework and its stream.
   */
  void handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(master.calls.arrive(), request, response, callback);
    // As libprocess, the whole request is read before it is looked at: a connection whose body
    // was left unread could not serve the client's next request.
    try {
      x.body = LocalMaster.readBody(request);
    } catch (IOException e) {
      x.answer(400, "Failed to read the body: " + e.getMessage());
      return;
    }
    if (x.body == null) {
      x.answer(413, "Request body exceeds " + LocalMaster.MAX_CALL_BYTES + " bytes");
      return;
    }
    synchronized (master) {
      if (master.clock.instant().isBefore(master.recoveringUntil)) {
        x.answer(503, "Master has not finished recovery");
        return;
      }
    }
    if (!"POST".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      x.answer(405, "405 Method Not Allowed. Expecting one of"
          + " { 'POST' }, but received '" + request.getMethod() + "'.");
      return;
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null) {
      x.answer(400, "Expecting 'Content-Type' to be present");
      return;
    }
    Optional<Wire> in = Wire.ofContentType(contentType);
    if (in.isEmpty()) {
      x.answer(415, "Expecting 'Content-Type' of application/json"
          + " or application/x-protobuf");
      return;
    }
    Call call;
    try {
      call = in.get().parseCall(x.body);
    } catch (Wire.BadBody e) {
      x.answer(400, e.getMessage());
      return;
    }
    x.call = call;
    String invalid = MasterValidation.call(call);
    if (invalid != null) {
      x.answer(400, "Failed to validate scheduler::Call: " + invalid);
      return;
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      Optional<Wire> out = Wire.ofAccept(request.getHeaders().get(HttpHeader.ACCEPT));
      if (out.isEmpty()) {
        x.answer(406, "Expecting 'Accept' to allow"
            + " 'application/x-protobuf' or 'application/json'");
        return;
      }
      if (request.getHeaders().get("Mesos-Stream-Id") != null) {
        x.answer(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
        return;
      }
      subscribe(x, out.get());
      return;
    }
    Result result = handleCall(call, request.getHeaders().get("Mesos-Stream-Id"));
    x.answer(result.status, result.body);
  }

  /**
   * One request to {@code /api/v1/scheduler}: its place in the master's call log, taken on
   * arrival, and what is known of it; each answer is logged before it is written, so a client
   * that has its answer finds the call in {@link LocalCluster#calls()}.
   */
  private final class Exchange {
    final long sequence;
    final Request request;
    final Response response;
    final Callback callback;
    byte[] body;
    Call call;

    Exchange(long sequence, Request request, Response response, Callback callback) {
      this.sequence = sequence;
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    /** Logs the call with this status, then answers it with a text/plain body. */
    void answer(int status, String text) {
      log(status, Optional.empty(), Optional.empty());
      text(response, callback, status, "text/plain", text);
    }

    /**
     * Logs the call. A call refused before its body was parsed (503 in recovery, 405) is parsed
     * here when it can be, for its type and ids; else it is logged as UNKNOWN.
     */
    void log(int status, Optional<String> frameworkId, Optional<String> streamId) {
      Call c = call;
      if (c == null && body != null) {
        Optional<Wire> wire = Wire.ofContentType(
            request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        if (wire.isPresent()) {
          try {
            c = wire.get().parseCall(body);
          } catch (Wire.BadBody e) {
            c = null;
          }
        }
      }
      Optional<String> header = Optional.ofNullable(request.getHeaders().get("Mesos-Stream-Id"));
      master.calls.add(sequence, new SchedulerCallRecord(sequence,
          c == null ? "UNKNOWN" : c.getType().name(),
          frameworkId.isPresent() ? frameworkId : c == null ? Optional.empty() : frameworkId(c),
          streamId.isPresent() ? streamId : header, status,
          c == null ? List.of() : taskIds(c)));
    }
  }

  /** The framework id a call carries: its own, or for SUBSCRIBE its FrameworkInfo's. */
  private static Optional<String> frameworkId(Call call) {
    String id = call.hasFrameworkId() ? call.getFrameworkId().getValue()
        : call.getSubscribe().getFrameworkInfo().getId().getValue();
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  /** The task ids of a call, as {@link SchedulerCallRecord#taskIds} describes. */
  private static List<String> taskIds(Call call) {
    List<String> ids = new ArrayList<>();
    switch (call.getType()) {
      case ACCEPT -> {
        for (Protos.Offer.Operation op : call.getAccept().getOperationsList()) {
          if (op.getType() == Protos.Offer.Operation.Type.LAUNCH) {
            op.getLaunch().getTaskInfosList().forEach(t -> ids.add(t.getTaskId().getValue()));
          } else if (op.getType() == Protos.Offer.Operation.Type.LAUNCH_GROUP) {
            op.getLaunchGroup().getTaskGroup().getTasksList()
                .forEach(t -> ids.add(t.getTaskId().getValue()));
          }
        }
      }
      case ACKNOWLEDGE -> ids.add(call.getAcknowledge().getTaskId().getValue());
      case KILL -> ids.add(call.getKill().getTaskId().getValue());
      default -> { }
    }
    return ids;
  }

  private record Result(int status, String body) {}

  private Result handleCall(Call call, String streamId) {
    String fwId = call.getFrameworkId().getValue();
    List<Runnable> after = new ArrayList<>();
    int status = 202;
    synchronized (master) {
      FrameworkEntry fw = master.frameworks.get(fwId);
      if (fw == null) {
        return new Result(400, "Framework cannot be found");
      }
      if (fw.stream == null) {
        return new Result(403, "Framework is not subscribed");
      }
      if (streamId == null) {
        return new Result(400, "All non-subscribe calls should include the 'Mesos-Stream-Id'"
            + " header");
      }
      if (!streamId.equals(fw.stream.id)) {
        return new Result(400, "The stream ID '" + streamId + "' included in this request"
            + " didn't match the stream ID currently associated with framework ID " + fwId);
      }
      switch (call.getType()) {
        case TEARDOWN -> removeFramework(fw, "teardown", after);
        case ACCEPT -> operations.accept(fw, call.getAccept(), after);
        case DECLINE -> allocator.decline(fw, call.getDecline().getOfferIdsList(),
            call.getDecline().hasFilters() ? call.getDecline().getFilters() : null);
        case REVIVE -> {
          List<String> roles = call.getRevive().getRolesList();
          String dropped = RoleAllocation.callRoles("revive", roles, fw.info);
          if (dropped != null) {
            log.warn("call dropped type=REVIVE framework_id={} reason={}", fwId, dropped);
          } else {
            allocator.revive(fw, roles, after);
          }
        }
        case SUPPRESS -> {
          List<String> roles = call.getSuppress().getRolesList();
          String dropped = RoleAllocation.callRoles("suppression", roles, fw.info);
          if (dropped != null) {
            log.warn("call dropped type=SUPPRESS framework_id={} reason={}", fwId, dropped);
          } else {
            allocator.suppress(fw, roles);
          }
        }
        case KILL -> kill(fw, call.getKill(), after);
        case SHUTDOWN -> {
          AgentEntry agent = master.agents.get(call.getShutdown().getAgentId().getValue());
          if (agent != null) {
            after.add(() -> agent.agent.shutdownExecutor(fw.id(),
                call.getShutdown().getExecutorId()));
          }
        }
        case ACKNOWLEDGE -> acknowledge(fw, call.getAcknowledge(), after);
        case RECONCILE -> reconcile(fw, call.getReconcile());
        case MESSAGE -> {
          AgentEntry agent = master.agents.get(call.getMessage().getAgentId().getValue());
          if (agent != null) {
            after.add(() -> agent.agent.frameworkMessage(fw.id(),
                call.getMessage().getExecutorId(), call.getMessage().getData()));
          }
        }
        case UPDATE_FRAMEWORK -> {
          Protos.FrameworkInfo info = call.getUpdateFramework().getFrameworkInfo();
          String invalid = MasterValidation.frameworkInfo(info);
          if (invalid != null) {
            return new Result(400, "Supplied FrameworkInfo is not valid: " + invalid);
          }
          invalid = RoleAllocation.update(fw.info, info);
          if (invalid != null) {
            return new Result(400, "FrameworkInfo update is not valid: " + invalid);
          }
          List<String> suppressed = call.getUpdateFramework().getSuppressedRolesList();
          invalid = RoleAllocation.suppressedRoles(info, suppressed);
          if (invalid != null) {
            return new Result(400, "'UpdateFramework' call is not valid: " + invalid);
          }
          log.info("framework updated framework_id={} roles={} suppressed_roles={}", fwId,
              RoleAllocation.roles(info), suppressed);
          allocator.updateFramework(fw, info, new java.util.HashSet<>(suppressed), after);
          // As Mesos (Master::updateFramework): 200 OK with no body, not 202 Accepted.
          status = 200;
        }
        case REQUEST, ACCEPT_INVERSE_OFFERS, DECLINE_INVERSE_OFFERS,
            ACKNOWLEDGE_OPERATION_STATUS, RECONCILE_OPERATIONS ->
            log.debug("call accepted and ignored type={}", call.getType());
        default -> {
          return new Result(400, "Unsupported call type " + call.getType());
        }
      }
    }
    master.runEach(after);
    return new Result(status, "");
  }

  // ================================================================== subscription

  private void subscribe(Exchange x, Wire wire) {
    Call call = x.call;
    Protos.FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
    SchedulerStream stream = new SchedulerStream(master, wire, x.request, x.response, x.callback);
    String refused = MasterValidation.frameworkInfo(info);
    if (refused == null) {
      refused = RoleAllocation.suppressedRoles(info, call.getSubscribe().getSuppressedRolesList());
    }
    if (refused != null) {
      // As Mesos: the subscription is answered 200, then refused on the stream.
      log.info("subscription refused name={} problem={}", info.getName(), refused);
      stream.send(Event.newBuilder().setType(Event.Type.ERROR)
          .setError(Event.Error.newBuilder().setMessage(refused)).build());
      stream.close();
      x.log(200, Optional.empty(), Optional.of(stream.id));
      stream.open(this::streamEnded);
      return;
    }
    SchedulerStream replaced = null;
    FrameworkEntry fw;
    String assigned;
    boolean removed = false;
    List<Runnable> after = new ArrayList<>();
    synchronized (master) {
      String id = info.hasId() && !info.getId().getValue().isEmpty() ? info.getId().getValue()
          : master.masterId + "-"
              + String.format(Locale.ROOT, "%04d", frameworkIds.getAndIncrement());
      assigned = id;
      if (master.removedFrameworks.contains(id)) {
        removed = true;
        fw = null;
      } else {
        fw = master.frameworks.get(id);
        java.util.Set<String> oldRoles = fw == null ? java.util.Set.of()
            : new java.util.HashSet<>(RoleAllocation.roles(fw.info));
        Protos.FrameworkInfo withId = info.toBuilder()
            .setId(Protos.FrameworkID.newBuilder().setValue(id)).build();
        if (fw == null) {
          fw = new FrameworkEntry(withId, master.settings.allocationInterval());
          master.frameworks.put(id, fw);
          log.info("framework registered framework_id={} name={}", id, info.getName());
        } else {
          replaced = fw.stream;
          fw.info = withId;
          if (fw.failoverTimer != null) {
            fw.failoverTimer.cancel(false);
            fw.failoverTimer = null;
          }
          allocator.rescindOffers(fw);
          log.info("framework resubscribed framework_id={} failover={}", id, replaced != null);
        }
        fw.stream = stream;
        master.history.subscribed(id, master.now());
        allocator.subscribed(fw, oldRoles,
            new java.util.HashSet<>(call.getSubscribe().getSuppressedRolesList()));
        stream.framework = fw;
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
            .setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(withId.getId())
                .setHeartbeatIntervalSeconds(
                    master.settings.heartbeatInterval().toMillis() / 1000.0)
                .setMasterInfo(masterInfo()))
            .build());
        after.add(allocator::allocateQuietly);
      }
    }
    // Logged before the replaced stream hears of the failover, and before the subscriber's
    // headers go out: whoever learns of this subscription finds it in the log.
    x.log(200, Optional.of(assigned), Optional.of(stream.id));
    if (replaced != null) {
      replaced.send(Event.newBuilder().setType(Event.Type.ERROR)
          .setError(Event.Error.newBuilder().setMessage("Framework failed over")).build());
      replaced.close();
    }
    if (removed) {
      stream.send(Event.newBuilder().setType(Event.Type.ERROR)
          .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build());
      stream.close();
    } else {
      master.timers.execute(() -> master.runEach(after));
    }
    stream.open(this::streamEnded);
  }

  private Protos.MasterInfo masterInfo() {
    int port = master.port();
    Protos.MasterInfo.Builder info = Protos.MasterInfo.newBuilder()
        .setId(master.masterId)
        .setIp(0x0100007f)
        .setPort(port)
        .setHostname(master.settings.host())
        .setAddress(Protos.Address.newBuilder().setHostname(master.settings.host())
            .setIp(master.settings.host())
            .setPort(port));
    master.settings.topology().masterDomain().ifPresent(info::setDomain);
    return info.build();
  }

  /** The stream of a subscriber went away: disconnect the framework, start its failover timer. */
  void streamEnded(SchedulerStream stream) {
    List<Runnable> after = new ArrayList<>();
    synchronized (master) {
      FrameworkEntry fw = stream.framework;
      if (fw == null || fw.stream != stream) {
        return;
      }
      fw.stream = null;
      allocator.rescindOffers(fw);
      double seconds = fw.info.getFailoverTimeout();
      log.info("framework disconnected framework_id={} failover_timeout={}s", fw.id().getValue(),
          seconds);
      Duration timeout = Duration.ofMillis((long) (seconds * 1000));
      if (timeout.isZero()) {
        removeFramework(fw, "disconnected with failover_timeout 0", after);
      } else {
        try {
          fw.failoverTimer = master.timers.schedule(() -> failoverExpired(fw), timeout.toMillis(),
              TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          log.debug("master closing, no failover timer framework_id={}", fw.id().getValue());
        }
      }
    }
    master.runEach(after);
  }

  private void failoverExpired(FrameworkEntry fw) {
    List<Runnable> after = new ArrayList<>();
    synchronized (master) {
      if (fw.stream != null || !master.frameworks.containsKey(fw.id().getValue())) {
        return;
      }
      removeFramework(fw, "failover timeout elapsed", after);
    }
    master.runEach(after);
  }

  /**
   * The operator's TEARDOWN: removes a framework as the scheduler's TEARDOWN does (its stream is
   * closed without an ERROR event).
   *
   * @return false when no framework with that id is in the books
   */
  boolean teardown(String frameworkId) {
    List<Runnable> after = new ArrayList<>();
    synchronized (master) {
      FrameworkEntry fw = master.frameworks.get(frameworkId);
      if (fw == null) {
        return false;
      }
      removeFramework(fw, "operator teardown", after);
    }
    master.runEach(after);
    return true;
  }

  /** Removes a framework: every task and executor of it is shut down. Holds the master's lock. */
  private void removeFramework(FrameworkEntry fw, String why, List<Runnable> after) {
    String id = fw.id().getValue();
    log.info("framework removed framework_id={} reason={}", id, why);
    master.frameworks.remove(id);
    master.removedFrameworks.add(id);
    master.history.frameworkRemoved(fw, master.now());
    allocator.rescindOffers(fw);
    allocator.removeFramework(fw);
    for (TaskEntry t : fw.tasks.values()) {
      if (!LocalMaster.isTerminal(t.state)) {
        AgentEntry agent = master.agents.get(t.agentId);
        if (agent != null) {
          agent.free = agent.free.plus(t.resources);
        }
      }
    }
    for (Map.Entry<String, Map<String, ExecutorEntry>> e : fw.executors.entrySet()) {
      AgentEntry agent = master.agents.get(e.getKey());
      if (agent != null) {
        for (ExecutorEntry ex : e.getValue().values()) {
          agent.free = agent.free.plus(ex.resources());
        }
      }
    }
    fw.tasks.clear();
    fw.executors.clear();
    for (AgentEntry agent : master.agents.values()) {
      after.add(() -> agent.agent.shutdownFramework(fw.id()));
    }
    if (fw.failoverTimer != null) {
      fw.failoverTimer.cancel(false);
    }
    SchedulerStream s = fw.stream;
    fw.stream = null;
    if (s != null) {
      after.add(s::close);
    }
  }

  // ================================================================== kill, ack, reconcile

  private void kill(FrameworkEntry fw, Call.Kill kill, List<Runnable> after) {
    TaskEntry task = fw.tasks.get(kill.getTaskId().getValue());
    if (task == null || LocalMaster.isTerminal(task.state)) {
      Call.Reconcile.Task.Builder t = Call.Reconcile.Task.newBuilder().setTaskId(kill.getTaskId());
      if (kill.hasAgentId()) {
        t.setAgentId(kill.getAgentId());
      }
      reconcile(fw, Call.Reconcile.newBuilder().addTasks(t).build());
      return;
    }
    AgentEntry agent = master.agents.get(task.agentId);
    if (agent != null && agent.reachable && !agent.gone) {
      Protos.KillPolicy policy = kill.hasKillPolicy() ? kill.getKillPolicy() : null;
      after.add(() -> agent.agent.kill(fw.id(), kill.getTaskId(), policy));
    }
  }

  private void acknowledge(FrameworkEntry fw, Call.Acknowledge ack, List<Runnable> after) {
    TaskEntry task = fw.tasks.get(ack.getTaskId().getValue());
    AgentEntry agent = master.agents.get(ack.getAgentId().getValue());
    if (agent == null) {
      return;
    }
    if (task != null && task.latest != null && task.latest.getUuid().equals(ack.getUuid())
        && LocalMaster.isTerminal(task.state)) {
      fw.tasks.remove(ack.getTaskId().getValue());
      master.history.taskEnded(fw, task);
    }
    after.add(() -> agent.agent.acknowledge(fw.id(), ack.getTaskId(), ack.getUuid()));
  }

  private void reconcile(FrameworkEntry fw, Call.Reconcile reconcile) {
    if (reconcile.getTasksCount() == 0) {
      for (TaskEntry t : fw.tasks.values()) {
        fw.send(master, reconciliation(fw, t));
      }
      return;
    }
    for (Call.Reconcile.Task asked : reconcile.getTasksList()) {
      TaskEntry t = fw.tasks.get(asked.getTaskId().getValue());
      if (t != null) {
        fw.send(master, reconciliation(fw, t));
        continue;
      }
      AgentEntry agent = asked.hasAgentId() ? master.agents.get(asked.getAgentId().getValue())
          : null;
      Protos.TaskState state;
      String message;
      if (agent == null) {
        state = Protos.TaskState.TASK_UNKNOWN;
        message = "Reconciliation: Task is unknown";
      } else if (agent.gone) {
        state = Protos.TaskState.TASK_GONE_BY_OPERATOR;
        message = "Reconciliation: Task is gone";
      } else if (!agent.reachable) {
        state = Protos.TaskState.TASK_UNREACHABLE;
        message = "Reconciliation: Task is unreachable";
      } else {
        state = Protos.TaskState.TASK_GONE;
        message = "Reconciliation: Task is unknown to the agent";
      }
      fw.send(master, master.masterUpdate(fw, asked.getTaskId(),
          asked.hasAgentId() ? asked.getAgentId() : null, state,
          Protos.TaskStatus.Reason.REASON_RECONCILIATION, message, null));
    }
  }

  private Event reconciliation(FrameworkEntry fw, TaskEntry t) {
    AgentEntry agent = master.agents.get(t.agentId);
    Protos.TaskState state = agent != null && !agent.reachable
        && !LocalMaster.isTerminal(t.state)
        ? Protos.TaskState.TASK_UNREACHABLE
        : t.state;
    Protos.TaskStatus.Builder s = (t.latest != null ? t.latest.toBuilder()
        : Protos.TaskStatus.newBuilder().setTaskId(t.info.getTaskId()))
        .clearUuid()
        .setState(LocalMaster.partitionAware(fw, state))
        .setAgentId(Protos.AgentID.newBuilder().setValue(t.agentId))
        .setSource(Protos.TaskStatus.Source.SOURCE_MASTER)
        .setReason(Protos.TaskStatus.Reason.REASON_RECONCILIATION)
        .setMessage("Reconciliation: Latest task state")
        .setTimestamp(master.now());
    return Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(s)).build();
  }
}
