package dev.mesoskit.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master of a {@link LocalCluster}: Mesos' v1 scheduler API on loopback, with the master's
 * books (frameworks, offers, tasks, executors, filters), a simple allocator that offers each
 * agent's free resources to one framework at a time every allocation interval, refuse filters as
 * Mesos has them ({@link OfferFilters}), and Mesos' validation of ACCEPT.
 *
 * <p>Threading: one lock guards the books; HTTP threads, the allocator and agents take it
 * briefly. Calls to agents and stream writes happen outside the lock.
 */
final class LocalMaster implements AgentListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalMaster.class);
  private static final String PATH = "/api/v1/scheduler";

  private final LocalCluster.Settings settings;
  private final Clock clock;
  private final String masterId = UUID.randomUUID().toString();
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledExecutorService timers;
  private final AtomicInteger frameworkIds = new AtomicInteger();
  private final AtomicLong offerIds = new AtomicLong();

  // The books, guarded by this.
  private final Map<String, FrameworkEntry> frameworks = new LinkedHashMap<>();
  private final Set<String> removedFrameworks = new HashSet<>();
  private final Map<String, AgentEntry> agents = new LinkedHashMap<>();
  private final Map<String, OfferEntry> offers = new LinkedHashMap<>();
  private int allocationCursor;
  private Instant recoveringUntil = Instant.MIN;

  // Fault injection.
  private volatile boolean heartbeats = true;
  private volatile Duration eventDelay = Duration.ZERO;
  private final AtomicInteger dropUpdates = new AtomicInteger();

  LocalMaster(LocalCluster.Settings settings) {
    this.settings = settings;
    this.clock = Clock.systemUTC();
    QueuedThreadPool pool = new QueuedThreadPool(256, 8);
    pool.setName("local-master-http");
    pool.setDaemon(true);
    this.server = new Server(pool);
    this.connector = new ServerConnector(server);
    connector.setHost(settings.host());
    connector.setPort(settings.masterPort());
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        return route(request, response, callback);
      }
    });
    this.timers = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "local-master-timers");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the local master on " + settings.host() + ":"
          + settings.masterPort() + ": " + e.getMessage(), e);
    }
    long period = settings.allocationInterval().toNanos();
    timers.scheduleWithFixedDelay(this::allocateQuietly, period, period, TimeUnit.NANOSECONDS);
    log.info("local master started url={}", uri());
  }

  URI uri() {
    return URI.create("http://" + settings.host() + ":" + connector.getLocalPort());
  }

  synchronized void addAgent(LocalAgent agent) {
    Resources total = ProtoResources.toResources(agent.resources());
    agents.put(agent.id(), new AgentEntry(agent, total));
  }

  // ================================================================== HTTP

  private boolean route(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    try {
      switch (path) {
        case PATH -> scheduler(request, response, callback);
        case "/state", "/master/state", "/state.json" -> text(response, callback, 200,
            "application/json", state().toString());
        case "/health", "/master/health" -> text(response, callback, 200, "text/plain", "");
        case "/redirect", "/master/redirect" -> {
          response.getHeaders().put(HttpHeader.LOCATION, "//" + settings.host() + ":"
              + connector.getLocalPort());
          text(response, callback, 307, "text/plain", "");
        }
        default -> text(response, callback, 404, "text/plain", "no such endpoint: " + path);
      }
    } catch (RuntimeException e) {
      log.error("local master failed on a request path={}", path, e);
      text(response, callback, 500, "text/plain", String.valueOf(e.getMessage()));
    }
    return true;
  }

  private static void text(Response response, Callback callback, int status, String type,
      String body) {
    response.setStatus(status);
    if (!body.isEmpty()) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    }
    Content.Sink.write(response, true, body, callback);
  }

  /**
   * {@code POST /api/v1/scheduler}, checked in Mesos' order ({@code Master::Http::scheduler}):
   * recovery, method, Content-Type, body, call validation, then for SUBSCRIBE the Accept header
   * and for every other call the framework and its stream.
   */
  private void scheduler(Request request, Response response, Callback callback) {
    // As libprocess, the whole request is read before it is looked at: a connection whose body
    // was left unread could not serve the client's next request.
    byte[] body;
    try {
      body = readBody(request);
    } catch (IOException e) {
      text(response, callback, 400, "text/plain", "Failed to read the body: " + e.getMessage());
      return;
    }
    if (body == null) {
      text(response, callback, 413, "text/plain", "Request body exceeds " + MAX_CALL_BYTES
          + " bytes");
      return;
    }
    synchronized (this) {
      if (clock.instant().isBefore(recoveringUntil)) {
        text(response, callback, 503, "text/plain", "Master has not finished recovery");
        return;
      }
    }
    if (!"POST".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      text(response, callback, 405, "text/plain", "405 Method Not Allowed. Expecting one of"
          + " { 'POST' }, but received '" + request.getMethod() + "'.");
      return;
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null) {
      text(response, callback, 400, "text/plain", "Expecting 'Content-Type' to be present");
      return;
    }
    Optional<Wire> in = Wire.ofContentType(contentType);
    if (in.isEmpty()) {
      text(response, callback, 415, "text/plain", "Expecting 'Content-Type' of application/json"
          + " or application/x-protobuf");
      return;
    }
    Call call;
    try {
      call = in.get().parseCall(body);
    } catch (Wire.BadBody e) {
      text(response, callback, 400, "text/plain", e.getMessage());
      return;
    }
    String invalid = MasterValidation.call(call);
    if (invalid != null) {
      text(response, callback, 400, "text/plain", "Failed to validate scheduler::Call: "
          + invalid);
      return;
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      Optional<Wire> out = Wire.ofAccept(request.getHeaders().get(HttpHeader.ACCEPT));
      if (out.isEmpty()) {
        text(response, callback, 406, "text/plain", "Expecting 'Accept' to allow"
            + " 'application/x-protobuf' or 'application/json'");
        return;
      }
      if (request.getHeaders().get("Mesos-Stream-Id") != null) {
        text(response, callback, 400, "text/plain",
            "Subscribe calls should not include the 'Mesos-Stream-Id' header");
        return;
      }
      subscribe(call, out.get(), request, response, callback);
      return;
    }
    Result result = handleCall(call, request.getHeaders().get("Mesos-Stream-Id"));
    text(response, callback, result.status, "text/plain", result.body);
  }

  private record Result(int status, String body) {}

  /**
   * The largest call body read: 64 MiB, far above any real call (an ACCEPT of a thousand tasks
   * is a few hundred KiB), so an endless or huge body cannot exhaust the heap. Mesos reads any.
   */
  static final int MAX_CALL_BYTES = 64 << 20;

  /**
   * A request's whole body, or null when it is longer than {@link #MAX_CALL_BYTES}: refused by
   * its Content-Length before a byte is read, or once the bytes read pass the bound.
   */
  static byte[] readBody(Request request) throws IOException {
    long declared = request.getLength();
    if (declared > MAX_CALL_BYTES) {
      return null;
    }
    byte[] body = Content.Source.asInputStream(request).readNBytes(MAX_CALL_BYTES + 1);
    return body.length > MAX_CALL_BYTES ? null : body;
  }

  /**
   * Runs what a call decided, outside the lock (deliveries to agents and streams), each on its
   * own: one that fails is logged and the others still run, so one broken delivery cannot leave
   * a neighbour's task without its answer.
   */
  private void runEach(List<Runnable> after) {
    for (Runnable r : after) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.error("local master failed to deliver the outcome of a call", e);
      }
    }
  }

  private Result handleCall(Call call, String streamId) {
    String fwId = call.getFrameworkId().getValue();
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      FrameworkEntry fw = frameworks.get(fwId);
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
        case ACCEPT -> accept(fw, call.getAccept(), after);
        case DECLINE -> decline(fw, call.getDecline().getOfferIdsList(),
            call.getDecline().hasFilters() ? call.getDecline().getFilters() : null);
        case REVIVE -> {
          fw.filters.clear();
          fw.suppressed = false;
          after.add(this::allocateQuietly);
        }
        case SUPPRESS -> fw.suppressed = true;
        case KILL -> kill(fw, call.getKill(), after);
        case SHUTDOWN -> {
          AgentEntry agent = agents.get(call.getShutdown().getAgentId().getValue());
          if (agent != null) {
            after.add(() -> agent.agent.shutdownExecutor(fw.id(),
                call.getShutdown().getExecutorId()));
          }
        }
        case ACKNOWLEDGE -> acknowledge(fw, call.getAcknowledge(), after);
        case RECONCILE -> reconcile(fw, call.getReconcile());
        case MESSAGE -> {
          AgentEntry agent = agents.get(call.getMessage().getAgentId().getValue());
          if (agent != null) {
            after.add(() -> agent.agent.frameworkMessage(fw.id(),
                call.getMessage().getExecutorId(), call.getMessage().getData()));
          }
        }
        case REQUEST, UPDATE_FRAMEWORK, ACCEPT_INVERSE_OFFERS, DECLINE_INVERSE_OFFERS,
            ACKNOWLEDGE_OPERATION_STATUS, RECONCILE_OPERATIONS ->
            log.debug("call accepted and ignored type={}", call.getType());
        default -> {
          return new Result(400, "Unsupported call type " + call.getType());
        }
      }
    }
    runEach(after);
    return new Result(202, "");
  }

  // ================================================================== subscription

  private void subscribe(Call call, Wire wire, Request request, Response response,
      Callback callback) {
    Protos.FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
    Stream stream = new Stream(wire, request, response, callback);
    String refused = MasterValidation.frameworkInfo(info);
    if (refused != null) {
      // As Mesos: the subscription is answered 200, then refused on the stream.
      log.info("subscription refused name={} problem={}", info.getName(), refused);
      stream.send(Event.newBuilder().setType(Event.Type.ERROR)
          .setError(Event.Error.newBuilder().setMessage(refused)).build());
      stream.close();
      stream.open();
      return;
    }
    Stream replaced = null;
    FrameworkEntry fw;
    boolean removed = false;
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      String id = info.hasId() && !info.getId().getValue().isEmpty() ? info.getId().getValue()
          : masterId + "-" + String.format(Locale.ROOT, "%04d", frameworkIds.getAndIncrement());
      if (removedFrameworks.contains(id)) {
        removed = true;
        fw = null;
      } else {
        fw = frameworks.get(id);
        Protos.FrameworkInfo withId = info.toBuilder()
            .setId(Protos.FrameworkID.newBuilder().setValue(id)).build();
        if (fw == null) {
          fw = new FrameworkEntry(withId, settings.allocationInterval());
          frameworks.put(id, fw);
          log.info("framework registered framework_id={} name={}", id, info.getName());
        } else {
          replaced = fw.stream;
          fw.info = withId;
          if (fw.failoverTimer != null) {
            fw.failoverTimer.cancel(false);
            fw.failoverTimer = null;
          }
          rescindOffers(fw);
          log.info("framework resubscribed framework_id={} failover={}", id, replaced != null);
        }
        fw.stream = stream;
        fw.suppressed = false;
        stream.framework = fw;
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
            .setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(withId.getId())
                .setHeartbeatIntervalSeconds(settings.heartbeatInterval().toMillis() / 1000.0)
                .setMasterInfo(masterInfo()))
            .build());
        after.add(this::allocateQuietly);
      }
    }
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
      timers.execute(() -> runEach(after));
    }
    stream.open();
  }

  private Protos.MasterInfo masterInfo() {
    int port = connector.getLocalPort();
    return Protos.MasterInfo.newBuilder()
        .setId(masterId)
        .setIp(0x0100007f)
        .setPort(port)
        .setHostname(settings.host())
        .setAddress(Protos.Address.newBuilder().setHostname(settings.host()).setIp(settings.host())
            .setPort(port))
        .build();
  }

  /** The stream of a subscriber went away: disconnect the framework, start its failover timer. */
  private void streamEnded(Stream stream) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      FrameworkEntry fw = stream.framework;
      if (fw == null || fw.stream != stream) {
        return;
      }
      fw.stream = null;
      rescindOffers(fw);
      double seconds = fw.info.getFailoverTimeout();
      log.info("framework disconnected framework_id={} failover_timeout={}s", fw.id().getValue(),
          seconds);
      Duration timeout = Duration.ofMillis((long) (seconds * 1000));
      if (timeout.isZero()) {
        removeFramework(fw, "disconnected with failover_timeout 0", after);
      } else {
        try {
          fw.failoverTimer = timers.schedule(() -> failoverExpired(fw), timeout.toMillis(),
              TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          log.debug("master closing, no failover timer framework_id={}", fw.id().getValue());
        }
      }
    }
    runEach(after);
  }

  private void failoverExpired(FrameworkEntry fw) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      if (fw.stream != null || !frameworks.containsKey(fw.id().getValue())) {
        return;
      }
      removeFramework(fw, "failover timeout elapsed", after);
    }
    runEach(after);
  }

  /** Removes a framework: every task and executor of it is shut down. Holds the lock. */
  private void removeFramework(FrameworkEntry fw, String why, List<Runnable> after) {
    String id = fw.id().getValue();
    log.info("framework removed framework_id={} reason={}", id, why);
    frameworks.remove(id);
    removedFrameworks.add(id);
    rescindOffers(fw);
    for (TaskEntry t : fw.tasks.values()) {
      if (!isTerminal(t.state)) {
        AgentEntry agent = agents.get(t.agentId);
        if (agent != null) {
          agent.free = agent.free.plus(t.resources);
        }
      }
    }
    for (Map.Entry<String, Map<String, ExecutorEntry>> e : fw.executors.entrySet()) {
      AgentEntry agent = agents.get(e.getKey());
      if (agent != null) {
        for (ExecutorEntry ex : e.getValue().values()) {
          agent.free = agent.free.plus(ex.resources);
        }
      }
    }
    fw.tasks.clear();
    fw.executors.clear();
    for (AgentEntry agent : agents.values()) {
      after.add(() -> agent.agent.shutdownFramework(fw.id()));
    }
    if (fw.failoverTimer != null) {
      fw.failoverTimer.cancel(false);
    }
    Stream s = fw.stream;
    fw.stream = null;
    if (s != null) {
      after.add(s::close);
    }
  }

  // ================================================================== offers

  private void allocateQuietly() {
    try {
      allocate();
    } catch (RuntimeException e) {
      log.error("allocation failed", e);
    }
  }

  /** Offers each agent's free resources to one eligible framework, round robin. */
  void allocate() {
    Map<Stream, List<Protos.Offer>> batches = new LinkedHashMap<>();
    synchronized (this) {
      List<FrameworkEntry> eligible = new ArrayList<>();
      for (FrameworkEntry fw : frameworks.values()) {
        if (fw.stream != null && !fw.suppressed) {
          eligible.add(fw);
        }
      }
      if (eligible.isEmpty()) {
        return;
      }
      Instant now = clock.instant();
      for (AgentEntry agent : agents.values()) {
        if (!agent.reachable || agent.gone || !worthOffering(agent.free)) {
          continue;
        }
        for (int i = 0; i < eligible.size(); i++) {
          FrameworkEntry fw = eligible.get(Math.floorMod(allocationCursor + i, eligible.size()));
          if (fw.filters.filters(agent.id(), agent.free, now)) {
            continue;
          }
          allocationCursor++;
          String role = fw.info.getRolesCount() > 0 ? fw.info.getRoles(0)
              : legacyRole(fw.info);
          Resources offered = ProtoResources.allocatedTo(agent.free, role);
          OfferEntry offer = new OfferEntry("offer-" + offerIds.incrementAndGet(),
              fw.id().getValue(), agent.id(), role, offered);
          offers.put(offer.id, offer);
          agent.free = Resources.empty();
          // As Mesos: allocation_info on the offer and its resources only for MULTI_ROLE
          // frameworks; others see resources as before MULTI_ROLE existed.
          boolean multiRole = fw.multiRole();
          Protos.Offer.Builder proto = Protos.Offer.newBuilder()
              .setId(Protos.OfferID.newBuilder().setValue(offer.id))
              .setFrameworkId(fw.id())
              .setAgentId(Protos.AgentID.newBuilder().setValue(agent.id()))
              .setHostname(agent.agent.hostname())
              .addAllResources(ProtoResources.toProtos(multiRole ? offered
                  : ProtoResources.unallocated(offered)))
              .addAllAttributes(agent.agent.attributes());
          if (multiRole) {
            proto.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role));
          }
          for (String exec : fw.executors.getOrDefault(agent.id(), Map.of()).keySet()) {
            proto.addExecutorIds(Protos.ExecutorID.newBuilder().setValue(exec));
          }
          if (settings.offerTimeout().isPresent()) {
            Duration timeout = settings.offerTimeout().get();
            timers.schedule(() -> offerTimedOut(offer.id), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
          }
          batches.computeIfAbsent(fw.stream, s -> new ArrayList<>()).add(proto.build());
          break;
        }
      }
    }
    batches.forEach((stream, list) -> send(stream, Event.newBuilder()
        .setType(Event.Type.OFFERS)
        .setOffers(Event.Offers.newBuilder().addAllOffers(list)).build()));
  }

  @SuppressWarnings("deprecation")
  private static String legacyRole(Protos.FrameworkInfo info) {
    return info.hasRole() ? info.getRole() : "*";
  }

  private static boolean worthOffering(Resources free) {
    return free.scalar("cpus") >= 0.01 || free.scalar("mem") >= 32;
  }

  private void offerTimedOut(String offerId) {
    Stream stream;
    synchronized (this) {
      OfferEntry offer = offers.remove(offerId);
      if (offer == null) {
        return;
      }
      recover(offer);
      FrameworkEntry fw = frameworks.get(offer.frameworkId);
      stream = fw == null ? null : fw.stream;
    }
    if (stream != null) {
      send(stream, rescindEvent(offerId));
    }
  }

  private static Event rescindEvent(String offerId) {
    return Event.newBuilder().setType(Event.Type.RESCIND)
        .setRescind(Event.Rescind.newBuilder()
            .setOfferId(Protos.OfferID.newBuilder().setValue(offerId)))
        .build();
  }

  /** Takes back every outstanding offer of a framework (offers do not survive disconnection). */
  private void rescindOffers(FrameworkEntry fw) {
    offers.values().removeIf(o -> {
      if (o.frameworkId.equals(fw.id().getValue())) {
        recover(o);
        return true;
      }
      return false;
    });
  }

  private void recover(OfferEntry offer) {
    AgentEntry agent = agents.get(offer.agentId);
    if (agent != null && !agent.gone) {
      agent.free = agent.free.plus(ProtoResources.unallocated(offer.resources));
    }
  }

  private void decline(FrameworkEntry fw, List<Protos.OfferID> ids, Protos.Filters filters) {
    Duration refuse = refuse(filters);
    for (Protos.OfferID id : ids) {
      OfferEntry offer = offers.get(id.getValue());
      if (offer != null && offer.frameworkId.equals(fw.id().getValue())) {
        offers.remove(id.getValue());
        recover(offer);
        fw.filters.refuse(offer.agentId, ProtoResources.unallocated(offer.resources), refuse,
            clock.instant());
      }
    }
  }

  /** The refuse time of a DECLINE or ACCEPT: Mesos' default 5 s when absent or negative. */
  private static Duration refuse(Protos.Filters filters) {
    double seconds = filters != null && filters.hasRefuseSeconds()
        ? filters.getRefuseSeconds() : 5.0;
    return Duration.ofMillis((long) ((seconds < 0 ? 5.0 : seconds) * 1000));
  }

  // ================================================================== accept

  private void accept(FrameworkEntry fw, Call.Accept accept, List<Runnable> after) {
    String error = validateOffers(fw, accept.getOfferIdsList());
    if (error != null) {
      // Mesos discards the offers that are still valid and drops every task of the call.
      for (Protos.OfferID id : accept.getOfferIdsList()) {
        OfferEntry offer = offers.get(id.getValue());
        if (offer != null && offer.frameworkId.equals(fw.id().getValue())) {
          offers.remove(offer.id);
          recover(offer);
        }
      }
      for (Protos.Offer.Operation op : accept.getOperationsList()) {
        for (Protos.TaskInfo t : tasksOf(op)) {
          fw.send(this, masterUpdate(fw, t.getTaskId(), t.getAgentId(),
              Protos.TaskState.TASK_DROPPED, Protos.TaskStatus.Reason.REASON_INVALID_OFFERS,
              "Task launched with invalid offers: " + error, null));
        }
      }
      return;
    }
    AgentEntry agent = null;
    String role = null;
    Resources pool = Resources.empty();
    for (Protos.OfferID id : accept.getOfferIdsList()) {
      OfferEntry offer = offers.remove(id.getValue());
      agent = agents.get(offer.agentId);
      role = offer.role;
      pool = pool.plus(offer.resources);
    }
    for (Protos.Offer.Operation op : accept.getOperationsList()) {
      switch (op.getType()) {
        case LAUNCH -> pool = launch(fw, agent, role, op.getLaunch().getTaskInfosList(), pool,
            after);
        case LAUNCH_GROUP -> {
          Protos.Offer.Operation.LaunchGroup group = op.getLaunchGroup();
          String problem = MasterValidation.launchResources(group.getTaskGroup().getTasksList(),
              group.getExecutor());
          if (problem != null) {
            refuseAll(fw, group.getTaskGroup().getTasksList(),
                Protos.TaskStatus.Reason.REASON_TASK_GROUP_INVALID, problem);
          } else {
            pool = launchGroup(fw, agent, withAllocation(group, role, fw.id()), pool, after);
          }
        }
        default -> log.warn("operation not supported by the local cluster, ignored type={}",
            op.getType());
      }
    }
    // What the launches left of the offers is declined implicitly, under the accept's filters.
    Resources unused = ProtoResources.unallocated(pool);
    agent.free = agent.free.plus(unused);
    fw.filters.refuse(agent.id(), unused, refuse(accept.hasFilters() ? accept.getFilters() : null),
        clock.instant());
  }

  private static List<Protos.TaskInfo> tasksOf(Protos.Offer.Operation op) {
    return switch (op.getType()) {
      case LAUNCH -> op.getLaunch().getTaskInfosList();
      case LAUNCH_GROUP -> op.getLaunchGroup().getTaskGroup().getTasksList();
      default -> List.of();
    };
  }

  /**
   * Mesos' offer checks of an ACCEPT, in its order and words: some offer, no offer twice, every
   * offer outstanding and this framework's, one allocation role, one agent. Null when valid.
   */
  private String validateOffers(FrameworkEntry fw, List<Protos.OfferID> ids) {
    if (ids.isEmpty()) {
      return "No offers specified";
    }
    Set<String> seen = new HashSet<>();
    for (Protos.OfferID id : ids) {
      if (!seen.add(id.getValue())) {
        return "Duplicate offer " + id.getValue() + " in offer list";
      }
    }
    for (Protos.OfferID id : ids) {
      if (!offers.containsKey(id.getValue())) {
        return "Offer " + id.getValue() + " is no longer valid";
      }
    }
    for (Protos.OfferID id : ids) {
      OfferEntry offer = offers.get(id.getValue());
      if (!offer.frameworkId.equals(fw.id().getValue())) {
        return "Offer " + id.getValue() + " has invalid framework " + offer.frameworkId
            + " while framework " + fw.id().getValue() + " is expected";
      }
    }
    OfferEntry first = offers.get(ids.get(0).getValue());
    for (Protos.OfferID id : ids) {
      OfferEntry offer = offers.get(id.getValue());
      if (!offer.role.equals(first.role)) {
        return "Aggregated offers must be allocated to the same role. Offer " + id.getValue()
            + " uses role '" + offer.role + "' but another is using role '" + first.role + "'";
      }
    }
    for (Protos.OfferID id : ids) {
      OfferEntry offer = offers.get(id.getValue());
      if (!offer.agentId.equals(first.agentId)) {
        return "Aggregated offers must belong to one single agent. Offer " + id.getValue()
            + " uses agent " + offer.agentId + " and agent " + first.agentId;
      }
    }
    return null;
  }

  /**
   * One LAUNCH operation: Mesos checks the resources of all its tasks first (one invalid resource
   * fails every task of the operation), then each task in turn against what the offers have left.
   *
   * @return what is left of the pool
   */
  private Resources launch(FrameworkEntry fw, AgentEntry agent, String role,
      List<Protos.TaskInfo> tasks, Resources pool, List<Runnable> after) {
    String problem = MasterValidation.launchResources(tasks, null);
    if (problem != null) {
      refuseAll(fw, tasks, Protos.TaskStatus.Reason.REASON_TASK_INVALID, problem);
      return pool;
    }
    for (Protos.TaskInfo given : tasks) {
      Protos.TaskInfo task = withAllocation(given, role, fw.id());
      boolean newExecutor = task.hasExecutor()
          && executorOf(fw, agent, task.getExecutor().getExecutorId().getValue()) == null;
      Resources taskRes = Resources.empty();
      Resources need = Resources.empty();
      try {
        taskRes = ProtoResources.toResources(task.getResourcesList());
        need = newExecutor ? taskRes.plus(ProtoResources.toResources(
            task.getExecutor().getResourcesList())) : taskRes;
        problem = MasterValidation.task(task, books(fw, agent));
      } catch (RuntimeException e) { // what LocalCluster's arithmetic cannot hold (e.g. 2^63)
        problem = "Task uses invalid resources: " + e.getMessage();
      }
      if (problem == null && !pool.contains(need)) {
        problem = MasterValidation.moreThanAvailable(ProtoResources.toProtos(need),
            ProtoResources.toProtos(pool));
      }
      if (problem != null) {
        fw.send(this, masterUpdate(fw, task.getTaskId(), task.getAgentId(),
            Protos.TaskState.TASK_ERROR, Protos.TaskStatus.Reason.REASON_TASK_INVALID, problem,
            null));
        continue;
      }
      if (newExecutor) {
        fw.executors.computeIfAbsent(agent.id(), a -> new HashMap<>())
            .put(task.getExecutor().getExecutorId().getValue(), new ExecutorEntry(
                task.getExecutor(), ProtoResources.unallocated(need.minus(taskRes))));
      }
      pool = pool.minus(need);
      fw.tasks.put(task.getTaskId().getValue(), new TaskEntry(task, agent.id(),
          ProtoResources.unallocated(taskRes)));
      Protos.FrameworkInfo info = fw.info;
      AgentEntry on = agent;
      after.add(() -> on.agent.launch(info, task));
      log.info("task launched framework_id={} task={} agent={}", fw.id().getValue(),
          task.getTaskId().getValue(), agent.id());
    }
    return pool;
  }

  private void refuseAll(FrameworkEntry fw, List<Protos.TaskInfo> tasks,
      Protos.TaskStatus.Reason reason, String problem) {
    for (Protos.TaskInfo t : tasks) {
      fw.send(this, masterUpdate(fw, t.getTaskId(), t.getAgentId(), Protos.TaskState.TASK_ERROR,
          reason, problem, null));
    }
  }

  private static ExecutorEntry executorOf(FrameworkEntry fw, AgentEntry agent, String id) {
    return fw.executors.getOrDefault(agent.id(), Map.of()).get(id);
  }

  private static MasterValidation.Books books(FrameworkEntry fw, AgentEntry agent) {
    return new MasterValidation.Books() {
      @Override
      public String frameworkId() {
        return fw.id().getValue();
      }

      @Override
      public String agentId() {
        return agent.id();
      }

      @Override
      public boolean hasTask(String taskId) {
        return fw.tasks.containsKey(taskId);
      }

      @Override
      public Protos.ExecutorInfo executor(String executorId) {
        ExecutorEntry e = executorOf(fw, agent, executorId);
        return e == null ? null : e.info;
      }
    };
  }

  /**
   * The task as Mesos launches it: resources without {@code allocation_info} get the offer's
   * allocation role (for frameworks with and without MULTI_ROLE alike), and an executor without a
   * framework id gets the framework's.
   */
  private static Protos.TaskInfo withAllocation(Protos.TaskInfo task, String role,
      Protos.FrameworkID frameworkId) {
    Protos.TaskInfo.Builder b = task.toBuilder();
    allocate(b.getResourcesBuilderList(), role);
    if (b.hasExecutor()) {
      Protos.ExecutorInfo.Builder e = b.getExecutorBuilder();
      allocate(e.getResourcesBuilderList(), role);
      if (!e.hasFrameworkId()) {
        e.setFrameworkId(frameworkId);
      }
    }
    return b.build();
  }

  private static Protos.Offer.Operation.LaunchGroup withAllocation(
      Protos.Offer.Operation.LaunchGroup group, String role, Protos.FrameworkID frameworkId) {
    Protos.Offer.Operation.LaunchGroup.Builder b = group.toBuilder();
    allocate(b.getExecutorBuilder().getResourcesBuilderList(), role);
    if (!b.getExecutor().hasFrameworkId()) {
      b.getExecutorBuilder().setFrameworkId(frameworkId);
    }
    for (Protos.TaskInfo.Builder t : b.getTaskGroupBuilder().getTasksBuilderList()) {
      allocate(t.getResourcesBuilderList(), role);
    }
    return b.build();
  }

  private static void allocate(List<Protos.Resource.Builder> resources, String role) {
    for (Protos.Resource.Builder r : resources) {
      if (!r.hasAllocationInfo()) {
        r.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role));
      }
    }
  }

  /**
   * Launches a task group atomically on its executor: every task fits (with the executor's
   * resources when it does not run yet) and is valid, or every task gets TASK_ERROR.
   *
   * @return what is left of the pool
   */
  private Resources launchGroup(FrameworkEntry fw, AgentEntry agent,
      Protos.Offer.Operation.LaunchGroup group, Resources pool, List<Runnable> after) {
    Protos.ExecutorInfo executor = group.getExecutor();
    List<Protos.TaskInfo> tasks = group.getTaskGroup().getTasksList();
    MasterValidation.Books books = books(fw, agent);
    String problem = tasks.isEmpty() ? "Task group is empty"
        : MasterValidation.groupExecutor(executor, books);
    Resources need = Resources.empty();
    Set<String> ids = new HashSet<>();
    try {
      problem = problem != null ? problem : groupNeeds(tasks, books, ids);
      for (Protos.TaskInfo task : problem == null ? tasks : List.<Protos.TaskInfo>of()) {
        need = need.plus(ProtoResources.toResources(task.getResourcesList()));
      }
    } catch (RuntimeException e) { // what LocalCluster's arithmetic cannot hold (e.g. 2^63)
      problem = "Task group uses invalid resources: " + e.getMessage();
    }
    Resources execRes = Resources.empty();
    Map<String, ExecutorEntry> onAgent =
        fw.executors.computeIfAbsent(agent.id(), a -> new HashMap<>());
    String execId = executor.getExecutorId().getValue();
    if (problem == null && !onAgent.containsKey(execId)) {
      try {
        execRes = ProtoResources.toResources(executor.getResourcesList());
      } catch (RuntimeException e) {
        problem = "Task group uses invalid resources: " + e.getMessage();
      }
    }
    if (problem == null && !pool.contains(need.plus(execRes))) {
      problem = MasterValidation.groupMoreThanAvailable(ProtoResources.toProtos(
          need.plus(execRes)), ProtoResources.toProtos(pool));
    }
    return launchGroupChecked(fw, agent, group, pool, after, problem, need, execRes, ids);
  }

  /** The per-task checks of a group, in task order; null when every task passes. */
  private static String groupNeeds(List<Protos.TaskInfo> tasks, MasterValidation.Books books,
      Set<String> ids) {
    for (Protos.TaskInfo task : tasks) {
      if (task.hasExecutor()) {
        return "Task '" + task.getTaskId().getValue() + "' of a task group must not set an"
            + " executor: the group's executor runs it";
      }
      if (!ids.add(task.getTaskId().getValue())) {
        return "Task group has duplicate task ID: " + task.getTaskId().getValue();
      }
      String problem = MasterValidation.groupTask(task, books);
      if (problem != null) {
        return problem;
      }
      ProtoResources.toResources(task.getResourcesList());
    }
    return null;
  }

  private Resources launchGroupChecked(FrameworkEntry fw, AgentEntry agent,
      Protos.Offer.Operation.LaunchGroup group, Resources pool, List<Runnable> after,
      String problem, Resources need, Resources execRes, Set<String> ids) {
    Protos.ExecutorInfo executor = group.getExecutor();
    List<Protos.TaskInfo> tasks = group.getTaskGroup().getTasksList();
    Map<String, ExecutorEntry> onAgent =
        fw.executors.computeIfAbsent(agent.id(), a -> new HashMap<>());
    String execId = executor.getExecutorId().getValue();
    if (problem != null) {
      refuseAll(fw, tasks, Protos.TaskStatus.Reason.REASON_TASK_GROUP_INVALID, problem);
      return pool;
    }
    if (!onAgent.containsKey(execId)) {
      onAgent.put(execId, new ExecutorEntry(executor, ProtoResources.unallocated(execRes)));
    }
    for (Protos.TaskInfo task : tasks) {
      Resources taskRes = ProtoResources.toResources(task.getResourcesList());
      fw.tasks.put(task.getTaskId().getValue(), new TaskEntry(
          task.toBuilder().setExecutor(executor).build(), agent.id(),
          ProtoResources.unallocated(taskRes)));
    }
    Protos.FrameworkInfo info = fw.info;
    after.add(() -> agent.agent.launchGroup(info, executor, tasks));
    log.info("task group launched framework_id={} tasks={} agent={}", fw.id().getValue(),
        ids, agent.id());
    return pool.minus(need).minus(execRes);
  }

  // ================================================================== kill, ack, reconcile

  private void kill(FrameworkEntry fw, Call.Kill kill, List<Runnable> after) {
    TaskEntry task = fw.tasks.get(kill.getTaskId().getValue());
    if (task == null || isTerminal(task.state)) {
      Call.Reconcile.Task.Builder t = Call.Reconcile.Task.newBuilder().setTaskId(kill.getTaskId());
      if (kill.hasAgentId()) {
        t.setAgentId(kill.getAgentId());
      }
      reconcile(fw, Call.Reconcile.newBuilder().addTasks(t).build());
      return;
    }
    AgentEntry agent = agents.get(task.agentId);
    if (agent != null && agent.reachable && !agent.gone) {
      after.add(() -> agent.agent.kill(fw.id(), kill.getTaskId()));
    }
  }

  private void acknowledge(FrameworkEntry fw, Call.Acknowledge ack, List<Runnable> after) {
    TaskEntry task = fw.tasks.get(ack.getTaskId().getValue());
    AgentEntry agent = agents.get(ack.getAgentId().getValue());
    if (agent == null) {
      return;
    }
    if (task != null && task.latest != null && task.latest.getUuid().equals(ack.getUuid())
        && isTerminal(task.state)) {
      fw.tasks.remove(ack.getTaskId().getValue());
    }
    after.add(() -> agent.agent.acknowledge(fw.id(), ack.getTaskId(), ack.getUuid()));
  }

  private void reconcile(FrameworkEntry fw, Call.Reconcile reconcile) {
    if (reconcile.getTasksCount() == 0) {
      for (TaskEntry t : fw.tasks.values()) {
        fw.send(this, reconciliation(fw, t));
      }
      return;
    }
    for (Call.Reconcile.Task asked : reconcile.getTasksList()) {
      TaskEntry t = fw.tasks.get(asked.getTaskId().getValue());
      if (t != null) {
        fw.send(this, reconciliation(fw, t));
        continue;
      }
      AgentEntry agent = asked.hasAgentId() ? agents.get(asked.getAgentId().getValue()) : null;
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
      fw.send(this, masterUpdate(fw, asked.getTaskId(),
          asked.hasAgentId() ? asked.getAgentId() : null, state,
          Protos.TaskStatus.Reason.REASON_RECONCILIATION, message, null));
    }
  }

  private Event reconciliation(FrameworkEntry fw, TaskEntry t) {
    AgentEntry agent = agents.get(t.agentId);
    Protos.TaskState state = agent != null && !agent.reachable && !isTerminal(t.state)
        ? Protos.TaskState.TASK_UNREACHABLE
        : t.state;
    Protos.TaskStatus.Builder s = (t.latest != null ? t.latest.toBuilder()
        : Protos.TaskStatus.newBuilder().setTaskId(t.info.getTaskId()))
        .clearUuid()
        .setState(partitionAware(fw, state))
        .setAgentId(Protos.AgentID.newBuilder().setValue(t.agentId))
        .setSource(Protos.TaskStatus.Source.SOURCE_MASTER)
        .setReason(Protos.TaskStatus.Reason.REASON_RECONCILIATION)
        .setMessage("Reconciliation: Latest task state")
        .setTimestamp(now());
    return Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(s)).build();
  }

  /** An update the master makes itself: no uuid, so the scheduler does not acknowledge it. */
  private Event masterUpdate(FrameworkEntry fw, Protos.TaskID taskId, Protos.AgentID agentId,
      Protos.TaskState state, Protos.TaskStatus.Reason reason, String message,
      Protos.ExecutorID executorId) {
    Protos.TaskStatus.Builder s = Protos.TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(partitionAware(fw, state))
        .setSource(Protos.TaskStatus.Source.SOURCE_MASTER)
        .setReason(reason)
        .setMessage(message)
        .setTimestamp(now());
    if (agentId != null && !agentId.getValue().isEmpty()) {
      s.setAgentId(agentId);
    }
    if (executorId != null) {
      s.setExecutorId(executorId);
    }
    return Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(s)).build();
  }

  private static Protos.TaskState partitionAware(FrameworkEntry fw, Protos.TaskState state) {
    if (fw.partitionAware()) {
      return state;
    }
    return switch (state) {
      case TASK_DROPPED, TASK_UNREACHABLE, TASK_GONE, TASK_GONE_BY_OPERATOR, TASK_UNKNOWN ->
          Protos.TaskState.TASK_LOST;
      default -> state;
    };
  }

  private double now() {
    return clock.millis() / 1000.0;
  }

  static boolean isTerminal(Protos.TaskState s) {
    return switch (s) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED,
          TASK_GONE, TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }

  // ================================================================== from agents

  @Override
  public void statusUpdate(LocalAgent from, Protos.FrameworkID frameworkId,
      Protos.TaskStatus status) {
    if (dropUpdates.get() > 0 && dropUpdates.getAndDecrement() > 0) {
      log.info("fault injection: dropped status update task={} state={}",
          status.getTaskId().getValue(), status.getState());
      return;
    }
    Stream stream = null;
    Event event = null;
    synchronized (this) {
      FrameworkEntry fw = frameworks.get(frameworkId.getValue());
      if (fw == null || cutOff(from)) {
        return;
      }
      TaskEntry t = fw.tasks.get(status.getTaskId().getValue());
      if (t != null) {
        boolean wasTerminal = isTerminal(t.state);
        t.state = status.getState();
        t.latest = status;
        if (!wasTerminal && isTerminal(status.getState())) {
          AgentEntry agent = agents.get(t.agentId);
          if (agent != null && !agent.gone) {
            agent.free = agent.free.plus(t.resources);
          }
        }
      }
      if (fw.stream != null) {
        stream = fw.stream;
        event = Event.newBuilder().setType(Event.Type.UPDATE)
            .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
      }
    }
    if (stream != null) {
      send(stream, event);
    }
  }

  @Override
  public void executorTerminated(LocalAgent from, Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId, OptionalInt status) {
    Stream stream = null;
    synchronized (this) {
      FrameworkEntry fw = frameworks.get(frameworkId.getValue());
      if (fw == null || cutOff(from)) {
        return;
      }
      Map<String, ExecutorEntry> onAgent = fw.executors.get(from.id());
      ExecutorEntry ex = onAgent == null ? null : onAgent.remove(executorId.getValue());
      AgentEntry agent = agents.get(from.id());
      if (ex != null && agent != null && !agent.gone) {
        agent.free = agent.free.plus(ex.resources);
      }
      stream = fw.stream;
    }
    if (stream != null) {
      Event.Failure.Builder f = Event.Failure.newBuilder()
          .setAgentId(Protos.AgentID.newBuilder().setValue(from.id()))
          .setExecutorId(executorId);
      status.ifPresent(f::setStatus);
      send(stream, Event.newBuilder().setType(Event.Type.FAILURE).setFailure(f).build());
    }
  }

  @Override
  public void executorMessage(LocalAgent from, Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId, ByteString data) {
    Stream stream;
    synchronized (this) {
      FrameworkEntry fw = frameworks.get(frameworkId.getValue());
      stream = fw == null || cutOff(from) ? null : fw.stream;
    }
    if (stream != null) {
      send(stream, Event.newBuilder().setType(Event.Type.MESSAGE)
          .setMessage(Event.Message.newBuilder()
              .setAgentId(Protos.AgentID.newBuilder().setValue(from.id()))
              .setExecutorId(executorId).setData(data))
          .build());
    }
  }

  /** Whether messages from this agent cannot reach the master: partitioned or removed. */
  private boolean cutOff(LocalAgent from) {
    AgentEntry agent = agents.get(from.id());
    return agent == null || !agent.reachable || agent.gone;
  }

  // ================================================================== faults

  /** Marks an agent unreachable (partitioned): its tasks become UNREACHABLE (LOST). */
  void partitionAgent(String agentId) {
    agentLost(agentId, false);
  }

  /** Removes an agent for good: its processes are killed, its tasks become GONE (LOST). */
  void removeAgent(String agentId) {
    agentLost(agentId, true);
  }

  private void agentLost(String agentId, boolean gone) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      AgentEntry agent = agents.get(agentId);
      if (agent == null) {
        throw new IllegalArgumentException("no agent with id " + agentId);
      }
      if (agent.gone) {
        return;
      }
      boolean wasReachable = agent.reachable;
      agent.reachable = false;
      agent.gone = gone;
      for (OfferEntry o : List.copyOf(offers.values())) {
        if (o.agentId.equals(agentId)) {
          offers.remove(o.id);
          FrameworkEntry fw = frameworks.get(o.frameworkId);
          if (fw != null) {
            fw.send(this, rescindEvent(o.id));
          }
        }
      }
      if (gone) {
        agent.free = Resources.empty();
      }
      for (FrameworkEntry fw : frameworks.values()) {
        for (TaskEntry t : List.copyOf(fw.tasks.values())) {
          if (!t.agentId.equals(agentId) || isTerminal(t.state)) {
            continue;
          }
          if (!gone && !wasReachable) {
            continue;
          }
          Protos.TaskState state = gone ? Protos.TaskState.TASK_GONE_BY_OPERATOR
              : Protos.TaskState.TASK_UNREACHABLE;
          Protos.TaskStatus.Reason reason = gone
              ? Protos.TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR
              : Protos.TaskStatus.Reason.REASON_AGENT_REMOVED;
          if (gone) {
            fw.tasks.remove(t.info.getTaskId().getValue());
          } else {
            t.state = Protos.TaskState.TASK_UNREACHABLE;
          }
          fw.send(this, masterUpdate(fw, t.info.getTaskId(),
              Protos.AgentID.newBuilder().setValue(agentId).build(), state, reason,
              gone ? "Agent " + agentId + " was removed" : "Agent " + agentId
                  + " is unreachable", t.info.hasExecutor()
                  ? t.info.getExecutor().getExecutorId() : null));
        }
        if (gone) {
          fw.executors.remove(agentId);
        }
        fw.send(this, Event.newBuilder().setType(Event.Type.FAILURE)
            .setFailure(Event.Failure.newBuilder()
                .setAgentId(Protos.AgentID.newBuilder().setValue(agentId)))
            .build());
      }
      if (gone) {
        after.add(agent.agent::close);
      }
      log.info("agent {} agent={}", gone ? "removed" : "unreachable", agentId);
    }
    runEach(after);
  }

  /** Brings a partitioned agent back: its tasks run on, as their agent reports them. */
  void healAgent(String agentId) {
    synchronized (this) {
      AgentEntry agent = agents.get(agentId);
      if (agent == null || agent.gone) {
        throw new IllegalArgumentException("no reachable-again agent with id " + agentId);
      }
      agent.reachable = true;
      for (Protos.TaskStatus s : agent.agent.latestStatuses()) {
        for (FrameworkEntry fw : frameworks.values()) {
          TaskEntry t = fw.tasks.get(s.getTaskId().getValue());
          if (t != null && t.agentId.equals(agentId)) {
            t.state = s.getState();
            t.latest = s;
          }
        }
      }
      log.info("agent reachable again agent={}", agentId);
    }
    allocateQuietly();
  }

  /**
   * Simulates a master failover: every scheduler stream is closed and SUBSCRIBE answers 503 for
   * {@code recovery}; tasks keep running on the agents and the books are kept, as a new leader
   * recovers them from the registry and the re-registering agents.
   */
  void restart(Duration recovery) {
    List<Stream> streams = new ArrayList<>();
    synchronized (this) {
      recoveringUntil = clock.instant().plus(recovery);
      for (FrameworkEntry fw : frameworks.values()) {
        if (fw.stream != null) {
          streams.add(fw.stream);
        }
      }
    }
    for (Stream s : streams) {
      s.close();
      streamEnded(s);
    }
    log.info("master restarted, recovering for {}", recovery);
  }

  void heartbeats(boolean on) {
    this.heartbeats = on;
  }

  void delayEvents(Duration delay) {
    this.eventDelay = delay;
  }

  void dropStatusUpdates(int count) {
    dropUpdates.set(count);
  }

  // ================================================================== state

  synchronized JsonObject state() {
    JsonObject root = new JsonObject();
    root.addProperty("id", masterId);
    root.addProperty("hostname", settings.host());
    root.addProperty("pid", "master@" + settings.host() + ":" + connector.getLocalPort());
    root.addProperty("activated_slaves", agents.values().stream()
        .filter(a -> a.reachable && !a.gone).count());
    JsonArray slaves = new JsonArray();
    for (AgentEntry a : agents.values()) {
      JsonObject s = new JsonObject();
      s.addProperty("id", a.id());
      s.addProperty("hostname", a.agent.hostname());
      s.addProperty("active", a.reachable && !a.gone);
      s.add("resources", resourcesJson(a.total));
      Resources used = a.gone ? Resources.empty() : a.total.minus(a.free.plus(offered(a.id())));
      s.add("used_resources", resourcesJson(used));
      JsonObject attributes = new JsonObject();
      for (Protos.Attribute attr : a.agent.attributes()) {
        attributes.addProperty(attr.getName(), attr.hasText() ? attr.getText().getValue()
            : attr.hasScalar() ? String.valueOf(attr.getScalar().getValue()) : attr.toString());
      }
      s.add("attributes", attributes);
      slaves.add(s);
    }
    root.add("slaves", slaves);
    JsonArray fws = new JsonArray();
    for (FrameworkEntry fw : frameworks.values()) {
      JsonObject f = new JsonObject();
      f.addProperty("id", fw.id().getValue());
      f.addProperty("name", fw.info.getName());
      f.addProperty("active", fw.stream != null);
      f.addProperty("role", fw.info.getRolesCount() > 0 ? fw.info.getRoles(0) : "*");
      f.addProperty("failover_timeout", fw.info.getFailoverTimeout());
      JsonArray tasks = new JsonArray();
      for (TaskEntry t : fw.tasks.values()) {
        JsonObject task = new JsonObject();
        task.addProperty("id", t.info.getTaskId().getValue());
        task.addProperty("name", t.info.getName());
        task.addProperty("state", t.state.name());
        task.addProperty("slave_id", t.agentId);
        task.add("resources", resourcesJson(t.resources));
        tasks.add(task);
      }
      f.add("tasks", tasks);
      JsonArray executors = new JsonArray();
      new TreeMap<>(fw.executors).forEach((agentId, onAgent) -> new TreeMap<>(onAgent)
          .forEach((executorId, e) -> {
            JsonObject executor = new JsonObject();
            executor.addProperty("id", executorId);
            executor.addProperty("slave_id", agentId);
            executor.add("resources", resourcesJson(e.resources()));
            executors.add(executor);
          }));
      f.add("executors", executors);
      f.addProperty("offers", offers.values().stream()
          .filter(o -> o.frameworkId.equals(fw.id().getValue())).count());
      fws.add(f);
    }
    root.add("frameworks", fws);
    JsonArray completed = new JsonArray();
    removedFrameworks.forEach(completed::add);
    root.add("completed_framework_ids", completed);
    return root;
  }

  private Resources offered(String agentId) {
    Resources sum = Resources.empty();
    for (OfferEntry o : offers.values()) {
      if (o.agentId.equals(agentId)) {
        sum = sum.plus(ProtoResources.unallocated(o.resources));
      }
    }
    return sum;
  }

  private static JsonObject resourcesJson(Resources r) {
    JsonObject o = new JsonObject();
    for (String name : List.of("cpus", "mem", "disk", "gpus")) {
      o.addProperty(name, r.scalar(name));
    }
    o.addProperty("ports", r.ranges("ports").toString());
    return o;
  }

  // ================================================================== streams

  private void send(Stream stream, Event event) {
    Duration delay = eventDelay;
    if (delay.isZero()) {
      stream.send(event);
    } else {
      timers.schedule(() -> stream.send(event), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    List<Stream> streams = new ArrayList<>();
    synchronized (this) {
      for (FrameworkEntry fw : frameworks.values()) {
        if (fw.stream != null) {
          streams.add(fw.stream);
        }
      }
    }
    streams.forEach(Stream::close);
    timers.shutdownNow();
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("local master did not stop cleanly: {}", e.toString());
    }
  }

  /**
   * One subscriber's RecordIO stream, written asynchronously (no thread per subscriber), with a
   * HEARTBEAT every heartbeat interval; a subscriber that closes its connection is disconnected
   * at once, as Mesos does.
   */
  private final class Stream {
    final String id = UUID.randomUUID().toString();
    final Wire wire;
    final RecordStream records;
    volatile FrameworkEntry framework;
    private ScheduledFuture<?> heartbeat;
    private boolean closed;

    Stream(Wire wire, Request request, Response response, Callback callback) {
      this.wire = wire;
      this.records = new RecordStream(request, response, callback, wire.mediaType);
      response.getHeaders().put("Mesos-Stream-Id", id);
    }

    void send(Event event) {
      records.send(wire.record(event));
    }

    void close() {
      synchronized (this) {
        closed = true;
      }
      records.close();
      stopHeartbeats();
    }

    /** Sends the headers and what was queued, then heartbeats until the stream ends. */
    void open() {
      records.onBroken(cause -> {
        stopHeartbeats();
        log.debug("subscriber stream {} broken: {}", id, cause.toString());
        // The break may be found by a write under the master's lock (a send while a call is
        // handled): the framework is disconnected on another thread, never inside that call.
        try {
          timers.execute(() -> streamEnded(this));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          log.debug("master closing, stream {} ends with it", id);
        }
      });
      long beat = settings.heartbeatInterval().toMillis();
      synchronized (this) {
        if (!closed && !records.ended()) {
          try {
            heartbeat = timers.scheduleAtFixedRate(this::beat, beat, beat, TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("master closing, no heartbeats for stream {}", id);
          }
        }
      }
      records.start();
    }

    private void beat() {
      if (records.ended()) {
        stopHeartbeats();
      } else if (heartbeats) {
        send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
      }
    }

    private synchronized void stopHeartbeats() {
      if (heartbeat != null) {
        heartbeat.cancel(false);
        heartbeat = null;
      }
    }
  }

  // ================================================================== books

  private static final class FrameworkEntry {
    Protos.FrameworkInfo info;
    Stream stream;
    boolean suppressed;
    ScheduledFuture<?> failoverTimer;
    final OfferFilters filters;
    final Map<String, TaskEntry> tasks = new LinkedHashMap<>();
    final Map<String, Map<String, ExecutorEntry>> executors = new HashMap<>();

    FrameworkEntry(Protos.FrameworkInfo info, Duration allocationInterval) {
      this.info = info;
      this.filters = new OfferFilters(allocationInterval);
    }

    Protos.FrameworkID id() {
      return info.getId();
    }

    boolean partitionAware() {
      return has(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    boolean multiRole() {
      return has(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE);
    }

    private boolean has(Protos.FrameworkInfo.Capability.Type capability) {
      return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == capability);
    }

    void send(LocalMaster master, Event event) {
      if (stream != null) {
        master.send(stream, event);
      }
    }
  }

  private static final class AgentEntry {
    final LocalAgent agent;
    final Resources total;
    Resources free;
    boolean reachable = true;
    boolean gone;

    AgentEntry(LocalAgent agent, Resources total) {
      this.agent = agent;
      this.total = total;
      this.free = total;
    }

    String id() {
      return agent.id();
    }
  }

  private static final class TaskEntry {
    final Protos.TaskInfo info;
    final String agentId;
    final Resources resources;
    Protos.TaskState state = Protos.TaskState.TASK_STAGING;
    Protos.TaskStatus latest;

    TaskEntry(Protos.TaskInfo info, String agentId, Resources resources) {
      this.info = info;
      this.agentId = agentId;
      this.resources = resources;
    }
  }

  private record ExecutorEntry(Protos.ExecutorInfo info, Resources resources) {}

  private record OfferEntry(String id, String frameworkId, String agentId, String role,
      Resources resources) {}
}
