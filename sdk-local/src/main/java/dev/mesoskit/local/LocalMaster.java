package dev.mesoskit.local;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import dev.mesoskit.core.Resources;
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
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos;
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
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master of a {@link LocalCluster}: Mesos' v1 scheduler API on loopback, with the master's
 * books (frameworks, offers, tasks, executors, filters), a simple allocator that offers each
 * agent's free resources to one role of one framework at a time every allocation interval
 * ({@link RoleAllocation}: roles, GPU_RESOURCES, fault domains), refuse filters as
 * Mesos has them ({@link OfferFilters}), and Mesos' validation of ACCEPT.
 *
 * <p>The master owns the books, its lock, its timers and its HTTP server, hears its agents
 * ({@link AgentListener}) and injects faults; the parts it wires work on its books:
 * {@link SchedulerApi} (the scheduler endpoint and the subscriptions, each on a
 * {@link SchedulerStream}), {@link Allocator} (offers, filters, rescinds), {@link OfferOperations}
 * (what an ACCEPT launches), {@link MasterValidation} (Mesos' checks, in its words) and
 * {@link MasterEndpoints} ({@code /state} and the other read endpoints).
 *
 * <p>Threading: one lock, this master's monitor, guards the books; HTTP threads, the allocator
 * and agents take it briefly, and every part takes this same lock. Calls to agents and stream
 * writes happen outside the lock.
 */
final class LocalMaster implements AgentListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalMaster.class);

  final Settings settings;
  final Clock clock;
  final String masterId = UUID.randomUUID().toString();
  private final Server server;
  private final ServerConnector connector;
  final ScheduledExecutorService timers;

  // The books, guarded by this.
  final Map<String, FrameworkEntry> frameworks = new LinkedHashMap<>();
  final Set<String> removedFrameworks = new HashSet<>();
  final Map<String, AgentEntry> agents = new LinkedHashMap<>();
  final Map<String, OfferEntry> offers = new LinkedHashMap<>();
  final OperatorHistory history = new OperatorHistory();
  /** Every call to {@code /api/v1/scheduler}, answered or refused; see {@link LocalCluster#calls}. */
  final AuditLog<SchedulerCallRecord> calls = new AuditLog<>();
  final Instant startedAt = Instant.now();
  Instant recoveringUntil = Instant.MIN;

  // Fault injection.
  volatile boolean heartbeats = true;
  private volatile Duration eventDelay = Duration.ZERO;
  private final AtomicInteger dropUpdates = new AtomicInteger();

  // The parts, working on the books under this lock.
  private final Allocator allocator;
  private final SchedulerApi schedulerApi;
  private final MasterEndpoints endpoints;
  private final OperatorApi operatorApi;

  LocalMaster(Settings settings) {
    this.settings = settings;
    this.clock = Clock.systemUTC();
    QueuedThreadPool pool = new QueuedThreadPool(256, 8);
    pool.setName("local-master-http");
    pool.setDaemon(true);
    // Jetty's own timer would be a non-daemon thread: one that keeps a program alive after main
    this.server = new Server(pool, new ScheduledExecutorScheduler("local-master-jetty-timer", true),
        null);
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
    this.allocator = new Allocator(this);
    this.schedulerApi = new SchedulerApi(this, allocator, new OfferOperations(this, allocator));
    this.endpoints = new MasterEndpoints(this);
    this.operatorApi = new OperatorApi(this, schedulerApi);
  }

  void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the local master on " + settings.host() + ":"
          + settings.masterPort() + ": " + e.getMessage(), e);
    }
    long period = settings.allocationInterval().toNanos();
    timers.scheduleWithFixedDelay(allocator::allocateQuietly, period, period, TimeUnit.NANOSECONDS);
    log.info("local master started url={}", uri());
  }

  URI uri() {
    return URI.create("http://" + settings.host() + ":" + connector.getLocalPort());
  }

  /** The port the master listens on. */
  int port() {
    return connector.getLocalPort();
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
        case SchedulerApi.PATH -> schedulerApi.handle(request, response, callback);
        case OperatorApi.PATH -> operatorApi.handle(request, response, callback);
        case "/metrics/snapshot" -> OperatorApi.respond(response, callback, 200,
            "application/json", MetricsSnapshot.master(this).toString());
        default -> endpoints.handle(path, response, callback);
      }
    } catch (RuntimeException e) {
      log.error("local master failed on a request path={}", path, e);
      text(response, callback, 500, "text/plain", String.valueOf(e.getMessage()));
    }
    return true;
  }

  /** Answers with a status and a body, typed when the body is not empty. */
  static void text(Response response, Callback callback, int status, String type,
      String body) {
    response.setStatus(status);
    if (!body.isEmpty()) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    }
    Content.Sink.write(response, true, body, callback);
  }

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
    if (declared >= 0) {
      // Jetty ends the content at its Content-Length: one array of that size, not the 8 KB
      // chunks and the copy of reading up to the bound (every ACKNOWLEDGE comes this way).
      return Content.Source.asInputStream(request).readNBytes((int) declared);
    }
    byte[] body = Content.Source.asInputStream(request).readNBytes(MAX_CALL_BYTES + 1);
    return body.length > MAX_CALL_BYTES ? null : body;
  }

  // ================================================================== shared by the parts

  /**
   * Runs what a call decided, outside the lock (deliveries to agents and streams), each on its
   * own: one that fails is logged and the others still run, so one broken delivery cannot leave
   * a neighbour's task without its answer.
   */
  void runEach(List<Runnable> after) {
    for (Runnable r : after) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.error("local master failed to deliver the outcome of a call", e);
      }
    }
  }

  /** An update the master makes itself: no uuid, so the scheduler does not acknowledge it. */
  Event masterUpdate(FrameworkEntry fw, Protos.TaskID taskId, Protos.AgentID agentId,
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

  /** The state a framework is told: without PARTITION_AWARE, the newer states read LOST. */
  static Protos.TaskState partitionAware(FrameworkEntry fw, Protos.TaskState state) {
    if (fw.partitionAware()) {
      return state;
    }
    return switch (state) {
      case TASK_DROPPED, TASK_UNREACHABLE, TASK_GONE, TASK_GONE_BY_OPERATOR, TASK_UNKNOWN ->
          Protos.TaskState.TASK_LOST;
      default -> state;
    };
  }

  double now() {
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
    SchedulerStream stream = null;
    Event event = null;
    synchronized (this) {
      FrameworkEntry fw = frameworks.get(frameworkId.getValue());
      if (fw == null || cutOff(from)) {
        return;
      }
      history.status(frameworkId.getValue(), status);
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
    SchedulerStream stream = null;
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
    SchedulerStream stream;
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
            fw.send(this, Allocator.rescindEvent(o.id));
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
    allocator.allocateQuietly();
  }

  /**
   * Simulates a master failover: every scheduler stream is closed and SUBSCRIBE answers 503 for
   * {@code recovery}; tasks keep running on the agents and the books are kept, as a new leader
   * recovers them from the registry and the re-registering agents.
   */
  void restart(Duration recovery) {
    List<SchedulerStream> streams = new ArrayList<>();
    synchronized (this) {
      recoveringUntil = clock.instant().plus(recovery);
      for (FrameworkEntry fw : frameworks.values()) {
        if (fw.stream != null) {
          streams.add(fw.stream);
        }
      }
    }
    for (SchedulerStream s : streams) {
      s.close();
      schedulerApi.streamEnded(s);
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

  /** The master's {@code /state}, as {@link MasterEndpoints} serves it. */
  JsonObject state() {
    return endpoints.state();
  }

  // ================================================================== streams

  /** Writes an event to a subscriber, after the injected delay if any. */
  void send(SchedulerStream stream, Event event) {
    Duration delay = eventDelay;
    if (delay.isZero()) {
      stream.send(event);
    } else {
      timers.schedule(() -> stream.send(event), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    List<SchedulerStream> streams = new ArrayList<>();
    synchronized (this) {
      for (FrameworkEntry fw : frameworks.values()) {
        if (fw.stream != null) {
          streams.add(fw.stream);
        }
      }
    }
    streams.forEach(SchedulerStream::close);
    timers.shutdownNow();
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("local master did not stop cleanly: {}", e.toString());
    }
  }

  // ================================================================== books

  /** A framework in the books. */
  static final class FrameworkEntry {
    Protos.FrameworkInfo info;
    SchedulerStream stream;
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

  /** An agent in the books, with what of it is free. */
  static final class AgentEntry {
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

  /** A task in the books, until its terminal update is acknowledged. */
  static final class TaskEntry {
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

  /** An executor in the books and what it holds. */
  record ExecutorEntry(Protos.ExecutorInfo info, Resources resources) {}

  /** An outstanding offer. */
  record OfferEntry(String id, String frameworkId, String agentId, String role,
      Resources resources) {}
}
