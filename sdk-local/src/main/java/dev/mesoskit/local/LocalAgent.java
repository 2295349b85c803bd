package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.Protos.TaskStatus.Source;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent of a local cluster: it fetches URIs into sandboxes, starts executors and command
 * tasks as real OS processes, serves the v1 executor HTTP API ({@code POST /api/v1/executor}) on
 * 127.0.0.1, and sends status updates to its master reliably (one at a time per task, resent until
 * acknowledged), as a Mesos agent does.
 *
 * <p>Threading: every method may be called from any thread. The agent calls its
 * {@link AgentListener} from one thread of its own, in order, never while holding its lock.
 */
final class LocalAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

  /** Mesos' DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL. */
  static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMinutes(30);
  /** Mesos' default {@code --recovery_timeout}, told to checkpointing executors. */
  static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(15);
  /** Mesos' default {@code --executor_reregistration_timeout} (MESOS_SUBSCRIPTION_BACKOFF_MAX). */
  static final Duration EXECUTOR_REREGISTRATION_TIMEOUT = Duration.ofSeconds(2);
  /** The PATH a container gets when its CommandInfo sets none (os::host_default_path()). */
  /** util-linux's setsid, which starts executors in a session of their own when present. */
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The answer to an executor call: an HTTP status and a message for errors. */
  record Reply(int status, String message) {
    static final Reply ACCEPTED = new Reply(202, "");
    static final Reply STREAMING = new Reply(200, "");
  }

  private record TaskKey(String framework, String task) {
    static TaskKey of(Protos.FrameworkID framework, Protos.TaskID task) {
      return new TaskKey(framework.getValue(), task.getValue());
    }
  }

  private record ExecutorKey(String framework, String executor) {
    static ExecutorKey of(Protos.FrameworkID framework, Protos.ExecutorID executor) {
      return new ExecutorKey(framework.getValue(), executor.getValue());
    }
  }

  private static final class FrameworkState {
    Protos.FrameworkInfo info;
    boolean terminating;

    FrameworkState(Protos.FrameworkInfo info) {
      this.info = info;
    }
  }

  /** The unacknowledged updates of one task, oldest first; the oldest is the one sent. */
  private static final class UpdateStream {
    final Protos.FrameworkID frameworkId;
    final ArrayDeque<TaskStatus> pending = new ArrayDeque<>();
    final Set<ByteString> received = new HashSet<>();
    ScheduledFuture<?> retry;

    UpdateStream(Protos.FrameworkID frameworkId) {
      this.frameworkId = frameworkId;
    }

    void cancelRetry() {
      if (retry != null) {
        retry.cancel(false);
        retry = null;
      }
    }
  }

  private final AgentConfig config;
  private final AgentListener master;
  private final Clock clock;
  private final Duration heartbeatInterval;
  /** Numbers the task groups of LAUNCH_GROUP operations; guarded by this. */
  private int taskGroups;
  private final Protos.AgentID agentId;
  private final ScheduledExecutorService timers;
  private final ExecutorService outbox;
  private final ExecutorService launcher;
  private final Fetcher fetcher;
  /** Null when executors are not authenticated. */
  private final ExecutorTokens tokens;
  private final Set<Process> processes = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook;
  private Server server;
  private URI endpoint;

  // guarded by this
  private final Map<String, FrameworkState> frameworks = new HashMap<>();
  private final Map<ExecutorKey, Container> containers = new LinkedHashMap<>();
  private final Map<TaskKey, TaskStatus> latest = new LinkedHashMap<>();
  private final Map<TaskKey, UpdateStream> streams = new HashMap<>();
  private boolean closed;

  private LocalAgent(AgentConfig config, AgentListener master, Clock clock,
      Duration heartbeatInterval) {
    this.config = config;
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
    this.fetcher = new Fetcher(config.workDir().resolve("fetch"), HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .executor(launcher)
        .build());
    this.shutdownHook = new Thread(this::killProcessesNow, prefix + "-shutdown");
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
    LocalAgent agent = new LocalAgent(config, master, clock, heartbeatInterval);
    try {
      agent.startServer();
      Runtime.getRuntime().addShutdownHook(agent.shutdownHook);
    } catch (Exception e) {
      agent.close();
      throw new IllegalStateException("Cannot start local agent " + config.id() + ": " + e, e);
    }
    LOG.info("Local agent started agent={} endpoint={} workDir={}", config.id(), agent.endpoint,
        config.workDir());
    return agent;
  }

  private void startServer() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(24, 2);
    pool.setName("local-agent-" + config.id() + "-http");
    pool.setDaemon(true);
    Server jetty = new Server(pool);
    ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory());
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(new ExecutorApi(this));
    jetty.setStopTimeout(0);
    server = jetty;
    jetty.start();
    endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  /** @return the agent id */
  String id() {
    return config.id();
  }

  /** @return the hostname offers carry */
  String hostname() {
    return config.hostname();
  }

  /** @return {@code http://127.0.0.1:PORT}, where executors reach the agent */
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
    if (closed) {
      return;
    }
    Protos.FrameworkID frameworkId = framework.getId();
    FrameworkState state = frameworks.get(frameworkId.getValue());
    if (state == null) {
      state = new FrameworkState(framework);
      frameworks.put(frameworkId.getValue(), state);
    }
    if (!state.terminating) {
      state.info = framework;
    } else {
      LOG.warn("Ignoring task of a terminating framework agent={} framework={} task={}",
          config.id(), frameworkId.getValue(), task.getTaskId().getValue());
      return;
    }
    Protos.ExecutorInfo executor;
    boolean command = !task.hasExecutor();
    if (!command) {
      executor = task.getExecutor().toBuilder().setFrameworkId(frameworkId).build();
    } else if (task.hasCommand()) {
      executor = commandExecutorInfo(frameworkId, task);
    } else {
      LOG.warn("Ignoring task with neither command nor executor agent={} task={}", config.id(),
          task.getTaskId().getValue());
      return;
    }
    TaskKey key = TaskKey.of(frameworkId, task.getTaskId());
    latest.put(key, TaskStatus.newBuilder()
        .setTaskId(task.getTaskId())
        .setState(TaskState.TASK_STAGING)
        .setAgentId(agentId)
        .setExecutorId(executor.getExecutorId())
        .setTimestamp(now())
        .build());

    ExecutorKey executorKey = ExecutorKey.of(frameworkId, executor.getExecutorId());
    Container container = containers.get(executorKey);
    if (container == null) {
      Protos.ContainerID containerId =
          Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
      Path sandbox = config.workDir().resolve("frameworks").resolve(frameworkId.getValue())
          .resolve("executors").resolve(executor.getExecutorId().getValue())
          .resolve("runs").resolve(containerId.getValue());
      container = new Container(frameworkId, state.info, executor, command ? task : null,
          containerId, sandbox);
      container.queued.put(task.getTaskId(), task);
      containers.put(executorKey, container);
      LOG.info("Launching {} agent={} task={}", container, config.id(),
          task.getTaskId().getValue());
      Container starting = container;
      launcher.execute(() -> fetchAndStart(starting));
      return;
    }
    switch (container.state) {
      case FETCHING, REGISTERING -> container.queued.put(task.getTaskId(), task);
      case RUNNING -> {
        if (container.isCommandExecutor()) {
          // a second task with the id of a running command task: Mesos' command executor refuses
          enqueue(frameworkId, executorStatus(container, task.getTaskId(), TaskState.TASK_FAILED,
              "Attempted to run multiple tasks using a \"command\" executor", null));
          return;
        }
        container.launched.put(task.getTaskId(), task);
        container.everSentTask = true;
        sendEvent(container, Event.newBuilder().setType(Event.Type.LAUNCH)
            .setLaunch(Event.Launch.newBuilder().setTask(task).buildPartial()).buildPartial());
      }
      case TERMINATING, TERMINATED -> {
        String what = container.state == Container.State.TERMINATING ? "terminating" : "terminated";
        enqueue(frameworkId, agentStatus(frameworkId, task.getTaskId(), executor.getExecutorId(),
            partitionAware(state.info) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
            "Executor " + what, Reason.REASON_EXECUTOR_TERMINATED));
      }
    }
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
    if (closed || group.isEmpty()) {
      return;
    }
    ExecutorKey key = ExecutorKey.of(framework.getId(), executor.getExecutorId());
    Container running = containers.get(key);
    if (running != null && running.state == Container.State.RUNNING) {
      for (Protos.TaskInfo task : group) {
        Protos.TaskInfo withExecutor = task.toBuilder().setExecutor(executor).build();
        latest.put(TaskKey.of(framework.getId(), task.getTaskId()), TaskStatus.newBuilder()
            .setTaskId(task.getTaskId())
            .setState(TaskState.TASK_STAGING)
            .setAgentId(agentId)
            .setExecutorId(executor.getExecutorId())
            .setTimestamp(now())
            .build());
        running.launched.put(task.getTaskId(), withExecutor);
      }
      running.everSentTask = true;
      sendEvent(running, launchGroupEvent(group));
      return;
    }
    int id = ++taskGroups;
    for (Protos.TaskInfo task : group) {
      launch(framework, task.toBuilder().setExecutor(executor).build());
      Container container = containers.get(key);
      if (container != null && container.queued.containsKey(task.getTaskId())) {
        container.groupOf.put(task.getTaskId(), id);
      }
    }
  }

  /** The LAUNCH_GROUP event of a group; its tasks carry no executor, as the agent sends them. */
  private static Event launchGroupEvent(List<Protos.TaskInfo> tasks) {
    Protos.TaskGroupInfo.Builder group = Protos.TaskGroupInfo.newBuilder();
    for (Protos.TaskInfo t : tasks) {
      group.addTasks(t.toBuilder().clearExecutor());
    }
    return Event.newBuilder().setType(Event.Type.LAUNCH_GROUP)
        .setLaunchGroup(Event.LaunchGroup.newBuilder().setTaskGroup(group)).buildPartial();
  }

  /**
   * Kills a task: a KILL event to its custom executor, or SIGTERM then SIGKILL after the grace
   * period for a command task. Tasks not yet delivered end TASK_KILLED at once. Unknown tasks are
   * ignored.
   *
   * @param frameworkId the framework
   * @param taskId the task
   */
  synchronized void kill(Protos.FrameworkID frameworkId, Protos.TaskID taskId) {
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
      enqueue(frameworkId, agentStatus(frameworkId, taskId, container.executorId(),
          TaskState.TASK_KILLED, "Killed before delivery to the executor",
          Reason.REASON_TASK_KILLED_DURING_LAUNCH));
      if (!container.everSentTask && container.queued.isEmpty()) {
        LOG.warn("Shutting down {} because it has never been sent a task and all of its queued"
            + " tasks have been killed before delivery", container);
        shutdown(container);
      }
      return;
    }
    switch (container.state) {
      case RUNNING -> {
        if (container.isCommandExecutor()) {
          Protos.TaskInfo task = container.commandTask;
          Duration grace = task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()
              ? Duration.ofNanos(task.getKillPolicy().getGracePeriod().getNanoseconds())
              : config.shutdownGracePeriod();
          killCommandTask(container, grace);
        } else {
          sendEvent(container, Event.newBuilder().setType(Event.Type.KILL)
              .setKill(Event.Kill.newBuilder().setTaskId(taskId)).build());
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
    shutdown(container);
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
    streams.entrySet().removeIf(entry -> {
      if (entry.getKey().framework().equals(frameworkId.getValue())) {
        entry.getValue().cancelRetry();
        return true;
      }
      return false;
    });
    List<Container> ofFramework = containersOf(frameworkId);
    for (Container container : ofFramework) {
      shutdown(container);
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
    TaskKey key = TaskKey.of(frameworkId, taskId);
    UpdateStream stream = streams.get(key);
    TaskStatus head = stream == null ? null : stream.pending.peek();
    if (head == null || !head.getUuid().equals(uuid)) {
      LOG.debug("Ignoring unexpected acknowledgement agent={} task={}", config.id(),
          taskId.getValue());
      return;
    }
    stream.pending.poll();
    stream.cancelRetry();
    TaskStatus next = stream.pending.peek();
    if (next != null) {
      forward(key, stream, next);
    } else if (isTerminal(head.getState())) {
      streams.remove(key);
    }
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
    destroy(container.process, true);
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
      for (UpdateStream stream : streams.values()) {
        stream.cancelRetry();
      }
      running = new ArrayList<>(processes);
    }
    for (Process process : running) {
      destroy(process, true);
    }
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
    timers.shutdownNow();
    launcher.shutdownNow();
    outbox.shutdown();
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

  /**
   * SUBSCRIBE: the executor's event stream starts with SUBSCRIBED, then its queued tasks.
   *
   * @param call the validated call
   * @param open opens the stream (commits the 200 response)
   * @return {@link Reply#STREAMING} or an error
   */
  synchronized Reply subscribe(Call call, Map<String, String> claims,
      Supplier<EventStream> open) {
    Object found = lookup(call, claims, true);
    if (found instanceof Reply reply) {
      return reply;
    }
    Container container = (Container) found;
    FrameworkState framework = frameworks.get(container.frameworkId.getValue());
    EventStream stream = open.get();
    if (framework.terminating || container.state == Container.State.TERMINATING) {
      LOG.warn("Shutting down {} as it subscribed while terminating", container);
      stream.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
      stream.close();
      return Reply.STREAMING;
    }
    if (container.stream != null) {
      LOG.warn("Closing the earlier connection of {}", container);
      container.stream.close();
    }
    if (container.heartbeat != null) {
      container.heartbeat.cancel(false);
    }
    if (container.registrationTimer != null) {
      container.registrationTimer.cancel(false);
      container.registrationTimer = null;
    }
    container.state = Container.State.RUNNING;
    container.stream = stream;
    stream.onBroken(cause -> execute(() -> streamBroken(container, stream, cause)));
    LOG.info("Executor subscribed: {}", container);

    List<Event> acknowledgements = new ArrayList<>();
    for (Call.Update update : call.getSubscribe().getUnacknowledgedUpdatesList()) {
      Event ack = executorUpdate(container, update.getStatus());
      if (ack != null) {
        acknowledgements.add(ack);
      }
    }
    Set<Protos.TaskID> unacknowledgedTasks = new HashSet<>();
    for (Protos.TaskInfo task : call.getSubscribe().getUnacknowledgedTasksList()) {
      unacknowledgedTasks.add(task.getTaskId());
    }
    for (Protos.TaskID taskId : container.launched.keySet()) {
      TaskStatus status = latest.get(TaskKey.of(container.frameworkId, taskId));
      if (status != null && status.getState() == TaskState.TASK_STAGING
          && !unacknowledgedTasks.contains(taskId)) {
        enqueue(container.frameworkId, agentStatus(container.frameworkId, taskId,
            container.executorId(),
            partitionAware(container.framework) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
            "Task launched during agent restart", Reason.REASON_AGENT_RESTARTED));
      }
    }
    if (!container.everSentTask && container.queued.isEmpty()) {
      LOG.warn("Shutting down {} because it has never been sent a task and all of its queued"
          + " tasks have been killed before delivery", container);
      shutdown(container);
      return Reply.STREAMING;
    }
    stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setExecutorInfo(container.executor)
            .setFrameworkInfo(container.framework)
            .setAgentInfo(agentInfo())
            .setContainerId(container.containerId)
            .buildPartial())
        .buildPartial());
    Set<Integer> sentGroups = new HashSet<>();
    for (Protos.TaskInfo task : container.queued.values()) {
      container.launched.put(task.getTaskId(), task);
      container.everSentTask = true;
      Integer group = container.groupOf.get(task.getTaskId());
      if (group == null) {
        stream.send(Event.newBuilder().setType(Event.Type.LAUNCH)
            .setLaunch(Event.Launch.newBuilder().setTask(task).buildPartial()).buildPartial());
      } else if (sentGroups.add(group)) {
        List<Protos.TaskInfo> members = new ArrayList<>();
        for (Protos.TaskInfo t : container.queued.values()) {
          if (group.equals(container.groupOf.get(t.getTaskId()))) {
            members.add(t);
          }
        }
        stream.send(launchGroupEvent(members));
      }
    }
    container.queued.clear();
    container.groupOf.clear();
    acknowledgements.forEach(stream::send);
    // Heartbeats start once SUBSCRIBED is on the stream: the timer does not take this lock, and
    // a first beat due before SUBSCRIBED was sent went out first on a slow machine.
    container.heartbeat = timers.scheduleAtFixedRate(() -> stream.send(
            Event.newBuilder().setType(Event.Type.HEARTBEAT).build()),
        heartbeatInterval.toNanos(), heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
    return Reply.STREAMING;
  }

  /**
   * UPDATE: the update joins its task's stream to the master; the executor gets ACKNOWLEDGED.
   *
   * @param call the validated call
   * @return {@link Reply#ACCEPTED} or an error
   */
  synchronized Reply update(Call call, Map<String, String> claims) {
    Object found = lookup(call, claims, false);
    if (found instanceof Reply reply) {
      return reply;
    }
    Container container = (Container) found;
    Protos.TaskID task = call.getUpdate().getStatus().getTaskId();
    if (!container.launched.containsKey(task) && !container.queued.containsKey(task)) {
      // An executor speaks for its own tasks only: not for another executor's, whatever ids it
      // read from /state.
      LOG.warn("Refusing an update about a task that is not the executor's task={} {}",
          task.getValue(), container);
      return new Reply(400, "Task " + task.getValue() + " is not a task of executor "
          + container.executorId().getValue());
    }
    Event ack = executorUpdate(container, call.getUpdate().getStatus());
    if (ack != null) {
      sendEvent(container, ack);
    }
    return Reply.ACCEPTED;
  }

  /**
   * MESSAGE: passed to the master for the scheduler.
   *
   * @param call the validated call
   * @return {@link Reply#ACCEPTED} or an error
   */
  synchronized Reply message(Call call, Map<String, String> claims) {
    Object found = lookup(call, claims, false);
    if (found instanceof Reply reply) {
      return reply;
    }
    Container container = (Container) found;
    ByteString data = call.getMessage().getData();
    deliver(() -> master.executorMessage(this, container.frameworkId, container.executorId(),
        data));
    return Reply.ACCEPTED;
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
  synchronized String executorToken(Protos.FrameworkID frameworkId, Protos.ExecutorID executorId) {
    Container container = containers.get(ExecutorKey.of(frameworkId, executorId));
    if (tokens == null || container == null) {
      return null;
    }
    return tokens.issue(frameworkId.getValue(), executorId.getValue(),
        container.containerId.getValue());
  }

  /**
   * The container a call is from, or the error reply: 400 unknown, 403 when the caller's token is
   * another executor's (Mesos' verifyExecutorClaims) or the executor has not subscribed.
   */
  private Object lookup(Call call, Map<String, String> claims, boolean subscribe) {
    if (closed) {
      return new Reply(503, "Agent is shutting down");
    }
    FrameworkState framework = frameworks.get(call.getFrameworkId().getValue());
    if (framework == null) {
      return new Reply(400, "Framework cannot be found");
    }
    Container container = containers.get(ExecutorKey.of(call.getFrameworkId(),
        call.getExecutorId()));
    if (container == null || container.isCommandExecutor()) {
      return new Reply(400, "Executor cannot be found");
    }
    if (claims != null) {
      String mismatch = ExecutorTokens.claimsMismatch(claims, call.getFrameworkId().getValue(),
          call.getExecutorId().getValue(), container.containerId.getValue());
      if (mismatch != null) {
        LOG.warn("Refused an executor call agent={} framework={} executor={}: {}", config.id(),
            call.getFrameworkId().getValue(), call.getExecutorId().getValue(), mismatch);
        return new Reply(403, mismatch);
      }
    }
    if (!subscribe && (container.state == Container.State.FETCHING
        || container.state == Container.State.REGISTERING)) {
      return new Reply(403, "Executor is not subscribed");
    }
    return container;
  }

  /** An executor's update; returns the ACKNOWLEDGED event for it, or null when it is ignored. */
  private Event executorUpdate(Container container, TaskStatus received) {
    if (received.hasAgentId() && !received.getAgentId().equals(agentId)) {
      LOG.warn("Ignoring status update for another agent agent={} task={} update_agent={}",
          config.id(), received.getTaskId().getValue(), received.getAgentId().getValue());
      return null;
    }
    TaskStatus.Builder status = received.toBuilder()
        .setAgentId(agentId)
        .setExecutorId(container.executorId())
        .setSource(Source.SOURCE_EXECUTOR);
    if (!status.hasTimestamp()) {
      status.setTimestamp(now());
    }
    if (!running(container.frameworkId)) {
      LOG.warn("Ignoring status update for terminating framework {}",
          container.frameworkId.getValue());
      return null;
    }
    enqueue(container.frameworkId, status.build());
    return Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
        .setAcknowledged(Event.Acknowledged.newBuilder()
            .setTaskId(received.getTaskId())
            .setUuid(received.getUuid()))
        .build();
  }

  private void streamBroken(Container container, EventStream stream, Throwable cause) {
    synchronized (this) {
      if (container.stream == stream) {
        LOG.info("Executor disconnected: {} ({})", container, cause.toString());
        container.stream = null;
        if (container.heartbeat != null) {
          container.heartbeat.cancel(false);
          container.heartbeat = null;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Containers
  // ---------------------------------------------------------------------------------------------

  /** Fetches the URIs, then starts the process (on a launcher thread). */
  private void fetchAndStart(Container container) {
    String failure = null;
    Protos.CommandInfo command = container.isCommandExecutor()
        ? container.commandTask.getCommand()
        : container.executor.getCommand();
    try {
      Files.createDirectories(container.sandbox);
      try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(
          container.sandbox.resolve("stderr"), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
        String user = command.hasUser() ? command.getUser() : container.framework.getUser();
        fetcher.fetch(command.getUrisList(), container.sandbox, user, log);
      }
    } catch (Fetcher.FetchException e) {
      failure = "Failed to launch container: " + e.getMessage();
    } catch (IOException | UncheckedIOException e) {
      failure = "Failed to launch container: Cannot create sandbox '" + container.sandbox + "': "
          + e.getMessage();
    }
    synchronized (this) {
      if (closed || container.state == Container.State.TERMINATED) {
        return;
      }
      if (failure != null) {
        LOG.warn("{} failed to start: {}", container, failure);
        container.pendingTermination = new Container.Termination(TaskState.TASK_FAILED,
            Reason.REASON_CONTAINER_LAUNCH_FAILED, failure);
        terminated(container, OptionalInt.empty());
        return;
      }
      if (container.state == Container.State.TERMINATING
          || (!container.everSentTask && container.queued.isEmpty())) {
        terminated(container, OptionalInt.empty());
        return;
      }
      startProcess(container, command);
    }
  }

  private void startProcess(Container container, Protos.CommandInfo command) {
    ProcessBuilder builder = new ProcessBuilder(inOwnSession(argv(command)))
        .directory(container.sandbox.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(container.sandbox.resolve("stdout")
            .toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(container.sandbox.resolve("stderr")
            .toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment(container, command));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String failure = "Failed to launch container: " + e.getMessage();
      LOG.warn("{} failed to start: {}", container, failure);
      container.pendingTermination = new Container.Termination(TaskState.TASK_FAILED,
          Reason.REASON_CONTAINER_LAUNCH_FAILED, failure);
      terminated(container, OptionalInt.empty());
      return;
    }
    processes.add(process);
    container.process = process;
    LOG.info("Started {} pid={}", container, process.pid());
    if (container.isCommandExecutor()) {
      Protos.TaskInfo task = container.commandTask;
      container.queued.clear();
      container.launched.put(task.getTaskId(), task);
      container.everSentTask = true;
      container.state = Container.State.RUNNING;
      enqueue(container.frameworkId, executorStatus(container, task.getTaskId(),
          TaskState.TASK_STARTING, null, null));
      enqueue(container.frameworkId, executorStatus(container, task.getTaskId(),
          TaskState.TASK_RUNNING, null, null));
    } else if (container.state == Container.State.FETCHING) {
      container.state = Container.State.REGISTERING;
      container.registrationTimer = timers.schedule(() -> registrationTimeout(container),
          config.registrationTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    try {
      process.onExit().thenRunAsync(() -> exited(container, process), launcher);
    } catch (RejectedExecutionException e) {
      // closing: close() kills it
    }
  }

  private synchronized void registrationTimeout(Container container) {
    if (closed || container.state != Container.State.REGISTERING) {
      return;
    }
    LOG.info("Terminating {} because it did not register within {}", container,
        DurationFormat.stringify(config.registrationTimeout()));
    container.state = Container.State.TERMINATING;
    container.pendingTermination = new Container.Termination(TaskState.TASK_FAILED,
        Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT,
        "Executor did not register within "
            + DurationFormat.stringify(config.registrationTimeout()));
    destroy(container.process, true);
  }

  private void exited(Container container, Process process) {
    processes.remove(process);
    synchronized (this) {
      if (closed || container.state == Container.State.TERMINATED) {
        return;
      }
      terminated(container, OptionalInt.of(process.exitValue()));
    }
  }

  /** The container is gone: its live tasks end, the master hears of a custom executor's exit. */
  private void terminated(Container container, OptionalInt exitStatus) {
    container.state = Container.State.TERMINATED;
    container.cancelTimers();
    if (container.stream != null) {
      container.stream.close();
      container.stream = null;
    }
    containers.remove(ExecutorKey.of(container.frameworkId, container.executorId()), container);
    if (container.process != null && container.process.isAlive()) {
      destroy(container.process, true);
    }
    LOG.info("{} terminated status={}", container, exitStatus);
    if (running(container.frameworkId)) {
      if (container.isCommandExecutor() && container.process != null
          && container.pendingTermination == null && !container.crashed) {
        commandTaskExited(container, exitStatus.orElse(-1));
      } else {
        List<Protos.TaskID> live = new ArrayList<>();
        for (Protos.TaskID taskId : container.launched.keySet()) {
          TaskStatus status = latest.get(TaskKey.of(container.frameworkId, taskId));
          if (status == null || !isTerminal(status.getState())) {
            live.add(taskId);
          }
        }
        live.addAll(container.queued.keySet());
        Container.Termination termination = container.pendingTermination;
        for (Protos.TaskID taskId : live) {
          enqueue(container.frameworkId, agentStatus(container.frameworkId, taskId,
              container.executorId(),
              termination == null ? TaskState.TASK_FAILED : termination.state(),
              termination == null ? "Executor terminated" : termination.message(),
              termination == null ? Reason.REASON_EXECUTOR_TERMINATED : termination.reason()));
        }
      }
    }
    container.queued.clear();
    if (!container.isCommandExecutor()) {
      Protos.ExecutorID executorId = container.executorId();
      deliver(() -> master.executorTerminated(this, container.frameworkId, executorId,
          exitStatus));
    }
    removeFrameworkIfIdle(container.frameworkId);
  }

  /** What the command executor reports when its task's process exits. */
  private void commandTaskExited(Container container, int exitValue) {
    TaskState state;
    if (container.killed) {
      state = TaskState.TASK_KILLED;
    } else if (exitValue == 0) {
      state = TaskState.TASK_FINISHED;
    } else {
      state = TaskState.TASK_FAILED;
    }
    enqueue(container.frameworkId, executorStatus(container,
        container.commandTask.getTaskId(), state, "Command " + describeExit(exitValue), null));
  }

  /**
   * The exit as WSTRINGIFY says it. Java reports death by signal N as exit value 128 + N, so an
   * explicit {@code exit 130} reads as a signal too.
   */
  static String describeExit(int exitValue) {
    if (exitValue > 128 && exitValue <= 128 + 64) {
      return "terminated with signal " + signalName(exitValue - 128);
    }
    return "exited with status " + exitValue;
  }

  /** strsignal(3) on Linux. */
  static String signalName(int signal) {
    return switch (signal) {
      case 1 -> "Hangup";
      case 2 -> "Interrupt";
      case 3 -> "Quit";
      case 4 -> "Illegal instruction";
      case 5 -> "Trace/breakpoint trap";
      case 6 -> "Aborted";
      case 7 -> "Bus error";
      case 8 -> "Floating point exception";
      case 9 -> "Killed";
      case 10 -> "User defined signal 1";
      case 11 -> "Segmentation fault";
      case 12 -> "User defined signal 2";
      case 13 -> "Broken pipe";
      case 14 -> "Alarm clock";
      case 15 -> "Terminated";
      default -> signal >= 34 ? "Real-time signal " + (signal - 34) : "Unknown signal " + signal;
    };
  }

  /** SHUTDOWN (or SIGTERM for a command task), then SIGKILL after the grace period. */
  private void shutdown(Container container) {
    switch (container.state) {
      case FETCHING -> container.state = Container.State.TERMINATING; // fetchAndStart ends it
      case REGISTERING, RUNNING -> {
        LOG.info("Shutting down {}", container);
        Duration grace = container.executor.hasShutdownGracePeriod()
            ? Duration.ofNanos(container.executor.getShutdownGracePeriod().getNanoseconds())
            : config.shutdownGracePeriod();
        container.state = Container.State.TERMINATING;
        if (container.isCommandExecutor()) {
          killCommandTask(container, grace);
        } else {
          sendEvent(container, Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        }
        container.shutdownTimer = timers.schedule(() -> shutdownTimeout(container),
            grace.toNanos(), TimeUnit.NANOSECONDS);
      }
      default -> LOG.debug("Ignoring shutdown of {} which is {}", container, container.state);
    }
  }

  private synchronized void shutdownTimeout(Container container) {
    if (!closed && container.state == Container.State.TERMINATING && container.process != null) {
      LOG.info("Killing {} after its shutdown grace period", container);
      destroy(container.process, true);
    }
  }

  /** The command executor's kill: TASK_KILLING when understood, SIGTERM, SIGKILL after grace. */
  private void killCommandTask(Container container, Duration grace) {
    if (container.killed || container.process == null) {
      return;
    }
    container.killed = true;
    if (hasCapability(container.framework,
        Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      enqueue(container.frameworkId, executorStatus(container,
          container.commandTask.getTaskId(), TaskState.TASK_KILLING, null, null));
    }
    destroy(container.process, false);
    container.killTimer = timers.schedule(() -> {
      synchronized (this) {
        if (!closed && container.state != Container.State.TERMINATED) {
          destroy(container.process, true);
        }
      }
    }, grace.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Signals a process and its descendants (SIGTERM, or SIGKILL when forcibly). */
  private static void destroy(Process process, boolean forcibly) {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    for (ProcessHandle descendant : descendants) {
      if (forcibly) {
        descendant.destroyForcibly();
      } else {
        descendant.destroy();
      }
    }
  }

  private void killProcessesNow() {
    for (Process process : processes) {
      destroy(process, true);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Status updates
  // ---------------------------------------------------------------------------------------------

  /** Adds an update to its task's stream; sends it now when it is the oldest unacknowledged. */
  private void enqueue(Protos.FrameworkID frameworkId, TaskStatus status) {
    if (closed || !running(frameworkId)) {
      return;
    }
    TaskKey key = TaskKey.of(frameworkId, status.getTaskId());
    UpdateStream stream = streams.computeIfAbsent(key, k -> new UpdateStream(frameworkId));
    if (!stream.received.add(status.getUuid())) {
      LOG.warn("Ignoring duplicate status update agent={} task={} state={}", config.id(),
          status.getTaskId().getValue(), status.getState());
      return;
    }
    TaskStatus previous = latest.get(key);
    if (previous != null && !isTerminal(previous.getState())) {
      latest.put(key, status);
    }
    LOG.info("Status update agent={} framework={} task={} state={} source={} reason={} message={}",
        config.id(), frameworkId.getValue(), status.getTaskId().getValue(), status.getState(),
        status.getSource(), status.hasReason() ? status.getReason() : "", status.getMessage());
    stream.pending.add(status);
    if (stream.pending.size() == 1) {
      forward(key, stream, status);
    }
  }

  private void forward(TaskKey key, UpdateStream stream, TaskStatus status) {
    Protos.FrameworkID frameworkId = stream.frameworkId;
    deliver(() -> master.statusUpdate(this, frameworkId, status));
    long retry = config.statusUpdateRetry().toNanos();
    stream.retry = timers.scheduleWithFixedDelay(() -> resend(key, status.getUuid()), retry, retry,
        TimeUnit.NANOSECONDS);
  }

  private synchronized void resend(TaskKey key, ByteString uuid) {
    UpdateStream stream = streams.get(key);
    TaskStatus head = stream == null ? null : stream.pending.peek();
    if (closed || head == null || !head.getUuid().equals(uuid)) {
      return;
    }
    LOG.debug("Resending unacknowledged update agent={} task={} state={}", config.id(),
        key.task(), head.getState());
    Protos.FrameworkID frameworkId = stream.frameworkId;
    deliver(() -> master.statusUpdate(this, frameworkId, head));
  }

  /** An update the agent generates (SOURCE_AGENT). */
  private TaskStatus agentStatus(Protos.FrameworkID frameworkId, Protos.TaskID taskId,
      Protos.ExecutorID executorId, TaskState state, String message, Reason reason) {
    return TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(state)
        .setSource(Source.SOURCE_AGENT)
        .setMessage(message)
        .setReason(reason)
        .setAgentId(agentId)
        .setExecutorId(executorId)
        .setTimestamp(now())
        .setUuid(newUuid())
        .build();
  }

  /** An update of the built-in command executor (SOURCE_EXECUTOR). */
  private TaskStatus executorStatus(Container container, Protos.TaskID taskId, TaskState state,
      String message, Reason reason) {
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(state)
        .setSource(Source.SOURCE_EXECUTOR)
        .setAgentId(agentId)
        .setExecutorId(container.executorId())
        .setTimestamp(now())
        .setUuid(newUuid());
    if (message != null) {
      status.setMessage(message);
    }
    if (reason != null) {
      status.setReason(reason);
    }
    return status.build();
  }

  /** 16 random bytes of a version 4 UUID, as Mesos' {@code id::UUID::random()}. */
  static ByteString newUuid() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits());
    bytes.putLong(uuid.getLeastSignificantBits());
    return ByteString.copyFrom(bytes.array());
  }

  static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED,
          TASK_GONE, TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  /** The environment of an executor or command task, as Mesos' executorEnvironment plus more. */
  private Map<String, String> environment(Container container, Protos.CommandInfo command) {
    Map<String, String> environment = new TreeMap<>();
    String libprocessIp = System.getenv("LIBPROCESS_IP");
    if (libprocessIp != null) {
      environment.put("LIBPROCESS_IP", libprocessIp);
    }
    environment.put("LIBPROCESS_PORT", "0");
    boolean checkpoint = config.checkpoint() || container.framework.getCheckpoint();
    Duration grace = container.executor.hasShutdownGracePeriod()
        ? Duration.ofNanos(container.executor.getShutdownGracePeriod().getNanoseconds())
        : config.shutdownGracePeriod();
    environment.put("MESOS_FRAMEWORK_ID", container.frameworkId.getValue());
    environment.put("MESOS_EXECUTOR_ID", container.executorId().getValue());
    environment.put("MESOS_DIRECTORY", container.sandbox.toString());
    environment.put("MESOS_SLAVE_ID", config.id());
    environment.put("MESOS_AGENT_ENDPOINT", endpoint.getHost() + ":" + endpoint.getPort());
    environment.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
    environment.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
    environment.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", DurationFormat.stringify(grace));
    if (checkpoint) {
      environment.put("MESOS_RECOVERY_TIMEOUT", DurationFormat.stringify(RECOVERY_TIMEOUT));
      environment.put("MESOS_SUBSCRIPTION_BACKOFF_MAX",
          DurationFormat.stringify(EXECUTOR_REREGISTRATION_TIMEOUT));
    }
    environment.put("MESOS_SANDBOX", container.sandbox.toString());
    if (tokens != null && !container.isCommandExecutor()) {
      // The command executor speaks to the agent in this JVM; its task never sees a token.
      environment.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", tokens.issue(
          container.frameworkId.getValue(), container.executorId().getValue(),
          container.containerId.getValue()));
    }
    for (Protos.Environment.Variable variable : command.getEnvironment().getVariablesList()) {
      if (variable.getType() != Protos.Environment.Variable.Type.SECRET) {
        environment.put(variable.getName(), variable.getValue());
      }
    }
    environment.putIfAbsent("PATH", DEFAULT_PATH);
    return environment;
  }

  /**
   * Runs {@code argv} as the leader of a session of its own, as a Mesos agent starts executors:
   * a Ctrl-C in the terminal of the JVM that runs the cluster then reaches the JVM only, and the
   * executors end the way the agent ends them. {@code setsid} execs the program in place (the
   * JVM's child is never a process group leader), so the process keeps its pid. Without
   * {@code setsid} (not Linux) the command runs in the JVM's session.
   */
  private static List<String> inOwnSession(List<String> argv) {
    if (!Files.isExecutable(SETSID)) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(argv.size() + 1);
    wrapped.add(SETSID.toString());
    wrapped.addAll(argv);
    return wrapped;
  }

  /** {@code /bin/sh -c value} for a shell command, else execvp(value, arguments) semantics. */
  private static List<String> argv(Protos.CommandInfo command) {
    if (!command.hasShell() || command.getShell()) {
      return List.of("/bin/sh", "-c", command.getValue());
    }
    // arguments(0) is argv[0], as for execvp(value, arguments); the executable is value
    List<String> argv = new ArrayList<>();
    argv.add(command.getValue());
    List<String> arguments = command.getArgumentsList();
    argv.addAll(arguments.subList(Math.min(1, arguments.size()), arguments.size()));
    return argv;
  }

  private Protos.ExecutorInfo commandExecutorInfo(Protos.FrameworkID frameworkId,
      Protos.TaskInfo task) {
    Protos.CommandInfo command = task.getCommand();
    String shown = !command.hasShell() || command.getShell()
        ? "sh -c '" + command.getValue() + "'"
        : "[" + String.join(", ", command.getArgumentsList()) + "]";
    Protos.ExecutorInfo.Builder executor = Protos.ExecutorInfo.newBuilder()
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue(task.getTaskId().getValue()))
        .setFrameworkId(frameworkId)
        .setName("Command Executor (Task: " + task.getTaskId().getValue() + ") (Command: "
            + shown + ")")
        .setCommand(Protos.CommandInfo.newBuilder().setValue("mesos-executor"));
    return executor.build();
  }

  private Protos.AgentInfo agentInfo() {
    return Protos.AgentInfo.newBuilder()
        .setHostname(config.hostname())
        .setPort(endpoint.getPort())
        .setId(agentId)
        .addAllResources(config.resources())
        .addAllAttributes(config.attributes())
        .build();
  }

  private void sendEvent(Container container, Event event) {
    if (container.stream == null) {
      LOG.warn("Dropping {} event for {}: not connected", event.getType(), container);
      return;
    }
    container.stream.send(event);
  }

  private boolean running(Protos.FrameworkID frameworkId) {
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

  private void removeFrameworkIfIdle(Protos.FrameworkID frameworkId) {
    FrameworkState state = frameworks.get(frameworkId.getValue());
    if (state != null && state.terminating && containersOf(frameworkId).isEmpty()) {
      frameworks.remove(frameworkId.getValue());
      latest.keySet().removeIf(key -> key.framework().equals(frameworkId.getValue()));
      LOG.info("Removed framework agent={} framework={}", config.id(), frameworkId.getValue());
    }
  }

  private static boolean partitionAware(Protos.FrameworkInfo framework) {
    return hasCapability(framework, Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE);
  }

  private static boolean hasCapability(Protos.FrameworkInfo framework,
      Protos.FrameworkInfo.Capability.Type type) {
    for (Protos.FrameworkInfo.Capability capability : framework.getCapabilitiesList()) {
      if (capability.getType() == type) {
        return true;
      }
    }
    return false;
  }

  private double now() {
    return clock.millis() / 1000.0;
  }

  /** Calls the master on the outbox thread, in order; a listener that throws is logged. */
  private void deliver(Runnable call) {
    execute(outbox, () -> {
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.error("The master's listener failed agent={}", config.id(), e);
      }
    });
  }

  private void execute(Runnable work) {
    execute(timers, work);
  }

  private static void execute(java.util.concurrent.Executor executor, Runnable work) {
    try {
      executor.execute(work);
    } catch (RejectedExecutionException e) {
      // the agent is closing
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
