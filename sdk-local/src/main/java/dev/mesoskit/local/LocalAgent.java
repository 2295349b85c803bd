package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent of a local cluster: it fetches URIs into sandboxes, starts executors and command
 * tasks as real OS processes, serves the v1 executor HTTP API ({@code POST /api/v1/executor}) on
 * 127.0.0.1, and sends status updates to its master reliably (one at a time per task, resent until
 * acknowledged), as a Mesos agent does.
 *
 * <p>The agent owns its books (frameworks, containers, latest task states), its lock, its threads
 * and its endpoint, and does what the master asks; the parts it wires work on its books:
 * {@link TaskLaunches} (LAUNCH and LAUNCH_GROUP of the master's tasks),
 * {@link ExecutorCalls} (the executor API's calls, behind {@link ExecutorApi}),
 * {@link Containerizer} (sandboxes, fetches, processes, their ends), {@link StatusUpdates}
 * (update streams to the master, acknowledgements, resends) and {@link Sandboxes} (finished
 * containers' sandboxes deleted after {@link AgentConfig#gcDelay()}, as Mesos' {@code --gc_delay}).
 *
 * <p>Threading: every method may be called from any thread. One lock, this agent's monitor,
 * guards the books, and every part takes this same lock. The agent calls its
 * {@link AgentListener} from one thread of its own, in order, never while holding its lock.
 * Sandboxes are deleted on a thread of their own, never holding the lock.
 */
final class LocalAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

  /** Mesos' DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL. */
  static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMinutes(30);
  /** Mesos' default {@code --recovery_timeout}, told to checkpointing executors. */
  static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(15);
  /** Mesos' default {@code --executor_reregistration_timeout} (MESOS_SUBSCRIPTION_BACKOFF_MAX). */
  /** The command executor's kill grace period without a kill policy: 3 s, as in Mesos. */
  static final Duration DEFAULT_KILL_GRACE_PERIOD = Duration.ofSeconds(3);
  static final Duration EXECUTOR_REREGISTRATION_TIMEOUT = Duration.ofSeconds(2);
  /** The PATH a container gets when its CommandInfo sets none (os::host_default_path()). */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The answer to an executor call: an HTTP status and a message for errors. */
  record Reply(int status, String message) {
    static final Reply ACCEPTED = new Reply(202, "");
    static final Reply STREAMING = new Reply(200, "");
  }

  /** A task of a framework. */
  record TaskKey(String framework, String task) {
    static TaskKey of(Protos.FrameworkID framework, Protos.TaskID task) {
      return new TaskKey(framework.getValue(), task.getValue());
    }
  }

  /** An executor of a framework. */
  record ExecutorKey(String framework, String executor) {
    static ExecutorKey of(Protos.FrameworkID framework, Protos.ExecutorID executor) {
      return new ExecutorKey(framework.getValue(), executor.getValue());
    }
  }

  /** A framework the agent runs tasks of. */
  static final class FrameworkState {
    Protos.FrameworkInfo info;
    boolean terminating;

    FrameworkState(Protos.FrameworkInfo info) {
      this.info = info;
    }
  }

  final AgentConfig config;
  final AgentListener master;
  private final Clock clock;
  final Duration heartbeatInterval;
  final Protos.AgentID agentId;
  final ScheduledExecutorService timers;
  private final ExecutorService outbox;
  final ExecutorService launcher;
  /** Null when executors are not authenticated. */
  final ExecutorTokens tokens;
  final Set<Process> processes = ConcurrentHashMap.newKeySet();
  /** Where its processes live on the network; see {@link AgentNetwork}. */
  final AgentNetwork network;
  private final Thread shutdownHook;
  private Server server;
  URI endpoint;

  // guarded by this
  final Map<String, FrameworkState> frameworks = new HashMap<>();
  final Map<ExecutorKey, Container> containers = new LinkedHashMap<>();
  final Map<TaskKey, TaskStatus> latest = new LinkedHashMap<>();
  boolean closed;

  // The parts, working on the books under this lock.
  private final StatusUpdates updates;
  /** Starts and stops this agent's containers (tests replace how it starts processes). */
  final Containerizer containerizer;
  private final ExecutorCalls executorCalls;
  private final TaskLaunches launches;
  /** Every task this agent started; shared by the agents of a cluster. */
  private final AuditLog<TaskLaunchRecord> launchLog;
  final Sandboxes sandboxes;

  private LocalAgent(AgentConfig config, AgentListener master, Clock clock,
      Duration heartbeatInterval, AuditLog<TaskLaunchRecord> launchLog, AgentNetwork network) {
    this.config = config;
    this.network = network;
    this.launchLog = launchLog;
    this.master = master;
    this.clock = clock;
    this.heartbeatInterval = heartbeatInterval;
    this.agentId = Protos.AgentID.newBuilder().setValue(config.id()).build();
    String prefix = "local-agent-" + config.id();
    ScheduledThreadPoolExecutor scheduled =
        new ScheduledThreadPoolExecutor(1, threads(prefix + "-timer"));
    scheduled.setRemoveOnCancelPolicy(true);
    this.timers = scheduled;
    this.outbox = Executors.newSingleThreadExecutor(threads(prefix + "-outbox"));
    this.launcher = Executors.newCachedThreadPool(threads(prefix + "-launcher"));
    ScheduledThreadPoolExecutor gc = new ScheduledThreadPoolExecutor(1, threads(prefix + "-gc"));
    gc.setRemoveOnCancelPolicy(true);
    this.sandboxes = new Sandboxes(config.id(), config.workDir(), config.gcDelay(),
        config.gcDiskHeadroom(), clock, () -> Sandboxes.diskUsage(config.workDir()), gc);
    this.updates = new StatusUpdates(this);
    this.containerizer = new Containerizer(this, updates);
    this.executorCalls = new ExecutorCalls(this, updates, containerizer);
    this.launches = new TaskLaunches(this, updates, containerizer);
    this.shutdownHook = new Thread(containerizer::killProcessesNow, prefix + "-shutdown");
    this.tokens = config.authenticateExecutors() ? new ExecutorTokens() : null;
  }

  /**
   * Starts an agent: its executor endpoint on 127.0.0.1 and an ephemeral port.
   *
   * @param config the settings
   * @param master where updates, executor exits and executor messages go
   * @return the running agent
   */
  static LocalAgent start(AgentConfig config, AgentListener master) {
    return start(config, master, Clock.systemUTC(), DEFAULT_HEARTBEAT_INTERVAL);
  }

  /**
   * Starts an agent with a given clock (update timestamps) and executor heartbeat interval.
   *
   * @param config the settings
   * @param master where updates, executor exits and executor messages go
   * @param clock the clock of update timestamps
   * @param heartbeatInterval how often subscribed executors get a HEARTBEAT event
   * @return the running agent
   */
  static LocalAgent start(AgentConfig config, AgentListener master, Clock clock,
      Duration heartbeatInterval) {
    return start(config, master, clock, heartbeatInterval, new AuditLog<>(), AgentNetwork.HOST);
  }

  /**
   * Starts an agent of a cluster, which records the tasks it starts in the cluster's launch log.
   *
   * @param config the settings
   * @param master where updates, executor exits and executor messages go
   * @param launchLog where each task it starts is recorded
   * @return the running agent
   */
  static LocalAgent start(AgentConfig config, AgentListener master,
      AuditLog<TaskLaunchRecord> launchLog) {
    return start(config, master, Clock.systemUTC(), DEFAULT_HEARTBEAT_INTERVAL, launchLog,
        AgentNetwork.HOST);
  }

  /** Starts an agent of a cluster, its processes placed on the network as {@code network} says. */
  static LocalAgent start(AgentConfig config, AgentListener master,
      AuditLog<TaskLaunchRecord> launchLog, AgentNetwork network) {
    return start(config, master, Clock.systemUTC(), DEFAULT_HEARTBEAT_INTERVAL, launchLog,
        network);
  }

  private static LocalAgent start(AgentConfig config, AgentListener master, Clock clock,
      Duration heartbeatInterval, AuditLog<TaskLaunchRecord> launchLog, AgentNetwork network) {
    LocalAgent agent = new LocalAgent(config, master, clock, heartbeatInterval, launchLog,
        network);
    try {
      Files.createDirectories(config.workDir());
      agent.sandboxes.start();
      agent.startServer();
      Runtime.getRuntime().addShutdownHook(agent.shutdownHook);
    } catch (Exception e) {
      agent.close();
      throw new IllegalStateException("Cannot start local agent " + config.id() + ": " + e, e);
    }
    LOG.info("Local agent started agent={} endpoint={} workDir={} gcDelay={} gcDiskHeadroom={}",
        config.id(), agent.endpoint, config.workDir(), DurationFormat.stringify(config.gcDelay()),
        config.gcDiskHeadroom());
    return agent;
  }

  private void startServer() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(24, 2);
    pool.setName("local-agent-" + config.id() + "-http");
    pool.setDaemon(true);
    Server jetty = new Server(pool, new ScheduledExecutorScheduler(
        "local-agent-" + config.id() + "-jetty-timer", true), null); // a daemon, as the pool

    ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory());
    connector.setHost(network.bindHost());
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(new AgentEndpoints(this, new ExecutorApi(this)));
    jetty.setStopTimeout(0);
    server = jetty;
    jetty.start();
    endpoint = network.open(connector.getLocalPort());
  }

  /** @return the agent id */
  String id() {
    return config.id();
  }

  /** @return the hostname offers carry */
  String hostname() {
    return config.hostname();
  }

  /** @return {@code http://127.0.0.1:PORT} (isolated: the agent's address), where executors reach it */
  URI endpoint() {
    return endpoint;
  }

  /** @return the agent's total resources */
  List<Protos.Resource> resources() {
    return config.resources();
  }

  /** @return the agent's attributes */
  List<Protos.Attribute> attributes() {
    return config.attributes();
  }

  /**
   * Records that a task was started: run by the command executor, or sent to its executor in a
   * LAUNCH or LAUNCH_GROUP event. Called at each place a task enters a container's launched
   * tasks.
   */
  void started(Container container, Protos.TaskID taskId) {
    launchLog.append(sequence -> new TaskLaunchRecord(sequence, config.id(),
        container.frameworkId.getValue(), taskId.getValue(), container.executorId().getValue()));
  }

  // ---------------------------------------------------------------------------------------------
  // What the master asks
  // ---------------------------------------------------------------------------------------------

  /**
   * Launches a task: on its custom executor (started first when not running), or as a command task
   * on the built-in command executor. URIs are fetched first; nothing starts when a fetch fails.
   *
   * @param framework the framework (its id set)
   * @param task the task, with either a command or an executor
   */
  synchronized void launch(Protos.FrameworkInfo framework, Protos.TaskInfo task) {
    launches.launch(framework, task);
  }

  /**
   * Launches a task group on its executor (LAUNCH_GROUP): the tasks reach the executor together,
   * in one LAUNCH_GROUP event, once it runs.
   *
   * @param framework the framework (its id set)
   * @param executor the group's executor
   * @param group the tasks, without executors of their own
   */
  synchronized void launchGroup(Protos.FrameworkInfo framework, Protos.ExecutorInfo executor,
      List<Protos.TaskInfo> group) {
    launches.launchGroup(framework, executor, group);
  }

  /**
   * Kills a task: a KILL event to its custom executor (with the kill's policy), or, as Mesos'
   * command executor does, SIGTERM then SIGKILL after the grace period for a command task: the
   * kill's {@code kill_policy}, else the task's, else {@link #DEFAULT_KILL_GRACE_PERIOD}. Tasks
   * not yet delivered end TASK_KILLED at once. Unknown tasks are ignored.
   *
   * @param frameworkId the framework
   * @param taskId the task
   */
  synchronized void kill(Protos.FrameworkID frameworkId, Protos.TaskID taskId) {
    kill(frameworkId, taskId, null);
  }

  /**
   * Kills a task with the kill's own policy, as {@link #kill(Protos.FrameworkID, Protos.TaskID)}
   * describes.
   *
   * @param frameworkId the framework
   * @param taskId the task
   * @param killPolicy the {@code Call.Kill.kill_policy}, or null
   */
  synchronized void kill(Protos.FrameworkID frameworkId, Protos.TaskID taskId,
      Protos.KillPolicy killPolicy) {
    if (closed || !running(frameworkId)) {
      return;
    }
    Container container = containerOf(frameworkId, taskId);
    if (container == null) {
      LOG.warn("Cannot kill unknown task agent={} framework={} task={}", config.id(),
          frameworkId.getValue(), taskId.getValue());
      return;
    }
    if (container.queued.containsKey(taskId)) {
      container.queued.remove(taskId);
      updates.enqueue(frameworkId, updates.agentStatus(frameworkId, taskId, container.executorId(),
          TaskState.TASK_KILLED, "Killed before delivery to the executor",
          Reason.REASON_TASK_KILLED_DURING_LAUNCH));
      if (!container.everSentTask && container.queued.isEmpty()) {
        LOG.warn("Shutting down {} because it has never been sent a task and all of its queued"
            + " tasks have been killed before delivery", container);
        containerizer.shutdown(container);
      }
      return;
    }
    switch (container.state) {
      case RUNNING -> {
        if (container.isCommandExecutor()) {
          Protos.TaskInfo task = container.commandTask;
          Duration grace;
          if (killPolicy != null && killPolicy.hasGracePeriod()) {
            grace = Duration.ofNanos(Math.max(0, killPolicy.getGracePeriod().getNanoseconds()));
          } else if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()) {
            grace = Duration.ofNanos(task.getKillPolicy().getGracePeriod().getNanoseconds());
          } else {
            grace = DEFAULT_KILL_GRACE_PERIOD;
          }
          containerizer.killCommandTask(container, grace);
        } else {
          Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(taskId);
          if (killPolicy != null) {
            kill.setKillPolicy(killPolicy);
          }
          sendEvent(container, Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build());
        }
      }
      default -> LOG.warn("Ignoring kill of task {} because {} is {}", taskId.getValue(),
          container, container.state);
    }
  }

  /**
   * Shuts an executor down: a SHUTDOWN event, then SIGKILL after its grace period.
   *
   * @param frameworkId the framework
   * @param executorId the executor (a task id for a command task)
   */
  synchronized void shutdownExecutor(Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId) {
    if (closed || !running(frameworkId)) {
      return;
    }
    Container container = containers.get(ExecutorKey.of(frameworkId, executorId));
    if (container == null) {
      LOG.warn("Ignoring shutdown of unknown executor agent={} framework={} executor={}",
          config.id(), frameworkId.getValue(), executorId.getValue());
      return;
    }
    containerizer.shutdown(container);
  }

  /**
   * Shuts down every executor and command task of a framework; no update of it goes out anymore.
   *
   * @param frameworkId the framework
   */
  synchronized void shutdownFramework(Protos.FrameworkID frameworkId) {
    if (closed) {
      return;
    }
    FrameworkState state = frameworks.get(frameworkId.getValue());
    if (state == null) {
      return;
    }
    LOG.info("Shutting down framework agent={} framework={}", config.id(), frameworkId.getValue());
    state.terminating = true;
    updates.dropFramework(frameworkId);
    List<Container> ofFramework = containersOf(frameworkId);
    for (Container container : ofFramework) {
      containerizer.shutdown(container);
    }
    removeFrameworkIfIdle(frameworkId);
  }

  /**
   * The scheduler acknowledged an update: it leaves the task's stream and the next one goes out.
   *
   * @param frameworkId the framework
   * @param taskId the task
   * @param uuid the update's uuid
   */
  synchronized void acknowledge(Protos.FrameworkID frameworkId, Protos.TaskID taskId,
      ByteString uuid) {
    if (closed) {
      return;
    }
    updates.acknowledge(frameworkId, taskId, uuid);
  }

  /**
   * A framework message for an executor: a MESSAGE event. Dropped when it is not subscribed.
   *
   * @param frameworkId the framework
   * @param executorId the executor
   * @param data the bytes
   */
  synchronized void frameworkMessage(Protos.FrameworkID frameworkId, Protos.ExecutorID executorId,
      ByteString data) {
    if (closed) {
      return;
    }
    Container container = containers.get(ExecutorKey.of(frameworkId, executorId));
    if (container == null || container.state != Container.State.RUNNING
        || container.isCommandExecutor()) {
      LOG.warn("Dropping framework message for an executor that is not running agent={}"
          + " framework={} executor={}", config.id(), frameworkId.getValue(),
          executorId.getValue());
      return;
    }
    sendEvent(container, Event.newBuilder().setType(Event.Type.MESSAGE)
        .setMessage(Event.Message.newBuilder().setData(data)).build());
  }

  /**
   * Fault injection: SIGKILL an executor's process (a command task's, when the id is a task id).
   * Its live tasks end as after an executor crash.
   *
   * @param frameworkId the framework
   * @param executorId the executor
   */
  synchronized void killExecutorProcess(Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId) {
    Container container = containers.get(ExecutorKey.of(frameworkId, executorId));
    if (closed || container == null || container.process == null) {
      return;
    }
    LOG.info("Fault injection: killing the process of {}", container);
    container.crashed = true;
    Containerizer.destroy(container.process, true);
  }

  /** @return the containers not yet terminated */
  synchronized int containerCount() {
    return containers.size();
  }

  /** @return the sandboxes on disk: of containers not yet terminated, and waiting for deletion */
  int sandboxCount() {
    return containerCount() + sandboxes.waiting();
  }

  /** @return the latest status of every task this agent knows, in launch order */
  synchronized List<TaskStatus> latestStatuses() {
    return List.copyOf(latest.values());
  }

  /** Kills every process this agent started and stops its endpoint; idempotent. */
  @Override
  public void close() {
    List<Process> running;
    List<EventStream> open = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (Container container : containers.values()) {
        container.cancelTimers();
        if (container.stream != null) {
          open.add(container.stream);
        }
      }
      updates.cancelRetries();
      running = new ArrayList<>(processes);
    }
    for (Process process : running) {
      Containerizer.destroy(process, true);
    }
    containerizer.removeImageContainers();
    for (EventStream stream : open) {
      stream.close();
    }
    for (Process process : running) {
      try {
        process.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Process did not exit after SIGKILL agent={} pid={}", config.id(), process.pid());
      }
    }
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        LOG.warn("Cannot stop the executor endpoint agent={}", config.id(), e);
      }
    }
    network.close();
    timers.shutdownNow();
    launcher.shutdownNow();
    containerizer.close();
    outbox.shutdown();
    sandboxes.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is shutting down, or start() failed before adding it
    }
    LOG.info("Local agent stopped agent={}", config.id());
  }

  // ---------------------------------------------------------------------------------------------
  // The executor API (called by ExecutorApi on Jetty threads)
  // ---------------------------------------------------------------------------------------------

  /** An executor's SUBSCRIBE, under this lock: {@link ExecutorCalls#subscribe}. */
  synchronized Reply subscribe(Call call, Map<String, String> claims,
      Supplier<EventStream> open) {
    return executorCalls.subscribe(call, claims, open);
  }

  /** An executor's UPDATE, under this lock: {@link ExecutorCalls#update}. */
  synchronized Reply update(Call call, Map<String, String> claims) {
    return executorCalls.update(call, claims);
  }

  /** An executor's MESSAGE, under this lock: {@link ExecutorCalls#message}. */
  synchronized Reply message(Call call, Map<String, String> claims) {
    return executorCalls.message(call, claims);
  }

  /**
   * Authenticates an executor call by its {@code Authorization} header.
   *
   * @param authorization the header, or null
   * @return the outcome, or null when this agent does not authenticate executors
   */
  ExecutorTokens.Outcome authenticateExecutor(String authorization) {
    return tokens == null ? null : tokens.authenticate(authorization);
  }

  /**
   * The token of an executor's current container, for tests that act as that executor.
   *
   * @param frameworkId the framework
   * @param executorId the executor
   * @return the token, or null when there is no such container or no authentication
   */
  synchronized String executorToken(Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId) {
    return executorCalls.token(frameworkId, executorId);
  }

  // ---------------------------------------------------------------------------------------------
  // Shared by the parts
  // ---------------------------------------------------------------------------------------------

  /** 16 random bytes of a version 4 UUID, as Mesos' {@code id::UUID::random()}. */
  static ByteString newUuid() {
    return StatusUpdates.newUuid();
  }

  static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED,
          TASK_GONE, TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }

  void sendEvent(Container container, Event event) {
    if (container.stream == null) {
      LOG.warn("Dropping {} event for {}: not connected", event.getType(), container);
      return;
    }
    container.stream.send(event);
  }

  boolean running(Protos.FrameworkID frameworkId) {
    FrameworkState state = frameworks.get(frameworkId.getValue());
    return state != null && !state.terminating;
  }

  private Container containerOf(Protos.FrameworkID frameworkId, Protos.TaskID taskId) {
    for (Container container : containers.values()) {
      if (container.frameworkId.equals(frameworkId)
          && (container.queued.containsKey(taskId) || container.launched.containsKey(taskId))) {
        return container;
      }
    }
    return null;
  }

  private List<Container> containersOf(Protos.FrameworkID frameworkId) {
    List<Container> found = new ArrayList<>();
    for (Container container : containers.values()) {
      if (container.frameworkId.equals(frameworkId)) {
        found.add(container);
      }
    }
    return found;
  }

  void removeFrameworkIfIdle(Protos.FrameworkID frameworkId) {
    FrameworkState state = frameworks.get(frameworkId.getValue());
    if (state != null && state.terminating && containersOf(frameworkId).isEmpty()) {
      frameworks.remove(frameworkId.getValue());
      latest.keySet().removeIf(key -> key.framework().equals(frameworkId.getValue()));
      LOG.info("Removed framework agent={} framework={}", config.id(), frameworkId.getValue());
    }
  }

  static boolean partitionAware(Protos.FrameworkInfo framework) {
    return hasCapability(framework, Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE);
  }

  static boolean hasCapability(Protos.FrameworkInfo framework,
      Protos.FrameworkInfo.Capability.Type type) {
    for (Protos.FrameworkInfo.Capability capability : framework.getCapabilitiesList()) {
      if (capability.getType() == type) {
        return true;
      }
    }
    return false;
  }

  double now() {
    return clock.millis() / 1000.0;
  }

  /** Calls the master on the outbox thread, in order; a listener that throws is logged. */
  void deliver(Runnable call) {
    execute(outbox, () -> {
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.error("The master's listener failed agent={}", config.id(), e);
      }
    });
  }

  void execute(Runnable work) {
    execute(timers, work);
  }

  private static void execute(java.util.concurrent.Executor executor, Runnable work) {
    try {
      executor.execute(work);
    } catch (RejectedExecutionException e) {
      // the agent is closing
    }
  }

  static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
