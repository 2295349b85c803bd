package dev.mesoskit.local;

import dev.mesoskit.local.LocalAgent.ExecutorKey;
import dev.mesoskit.local.LocalAgent.TaskKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of a {@link LocalAgent}: each one's sandbox, its URIs fetched, its executor or
 * command task started as an OS process in a session of its own with Mesos' environment, watched
 * until it exits, and stopped (SHUTDOWN or SIGTERM, then SIGKILL after the grace period); when a
 * container ends, its live tasks end and the master hears of a custom executor's exit.
 *
 * <p>Threading: what the agent asks is called with its lock held (the {@link LocalAgent}
 * monitor); fetches, process exits and the registration, shutdown and kill timers run on the
 * agent's launcher and timer threads and take that same lock. A process is started on a launcher
 * thread without the lock (while its container is still {@code FETCHING}, so that a kill or a
 * shutdown meanwhile is seen when the lock is taken again and ends it as before a start), and so
 * are podman's commands.
 */
final class Containerizer {
  /** Logs as the agent, under whose name these lines have always been written. */
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);
  /** util-linux's setsid, which starts executors in a session of their own when present. */
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  /** The containers an agent fetches and starts at once. */
  static final int CONCURRENT_STARTS = 4;

  private final LocalAgent agent;
  private final StatusUpdates updates;
  private final Fetcher fetcher;
  private final Podman podman;
  /** The podman containers of this agent not yet known to be gone. */
  private final Set<String> podmanNames = ConcurrentHashMap.newKeySet();
  /**
   * Where containers without URIs are started: a few at once per agent (an ACCEPT of hundreds of
   * tasks got a thread each, all contending for the agent's lock and the cores). Containers with
   * URIs to fetch or an image (podman's probe and pull) get a launcher thread each, so that no
   * download or pull waits for another and none holds up the quick starts.
   */
  private final ThreadPoolExecutor starts;
  /** Starts each process; tests replace it to act while a process starts. */
  private volatile ProcessStarter starter = ProcessBuilder::start;

  /** How a container's process is started: {@link ProcessBuilder#start()}, but for tests. */
  interface ProcessStarter {
    Process start(ProcessBuilder builder) throws IOException;
  }

  Containerizer(LocalAgent agent, StatusUpdates updates) {
    this.agent = agent;
    this.updates = updates;
    this.podman = agent.config.podman();
    this.fetcher = new Fetcher(agent.config.workDir().resolve("fetch"), HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .executor(agent.launcher)
        .build(), agent.network);
    this.starts = new ThreadPoolExecutor(CONCURRENT_STARTS, CONCURRENT_STARTS, 30,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        LocalAgent.threads("local-agent-" + agent.config.id() + "-start"));
    starts.allowCoreThreadTimeOut(true);
  }

  /** Stops fetching and starting; what is queued is dropped (the agent is closing). */
  void close() {
    starts.shutdownNow();
  }

  /**
   * A new container for an executor: a container id of its own and its sandbox,
   * {@code <workDir>/frameworks/<framework>/executors/<executor>/runs/<container>}, which the
   * fetch creates.
   */
  Container create(Protos.FrameworkID frameworkId, Protos.FrameworkInfo framework,
      Protos.ExecutorInfo executor, Protos.TaskInfo commandTask) {
    Protos.ContainerID containerId =
        Protos.ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
    Path sandbox = agent.config.workDir().resolve("frameworks").resolve(frameworkId.getValue())
        .resolve("executors").resolve(executor.getExecutorId().getValue())
        .resolve("runs").resolve(containerId.getValue());
    return new Container(frameworkId, framework, executor, commandTask, containerId, sandbox);
  }

  /** Replaces how processes start, for tests. */
  void starter(ProcessStarter starter) {
    this.starter = starter;
  }

  /** Starts a new container: its fetch and then its process, on a start or launcher thread. */
  void launch(Container container) {
    Protos.CommandInfo command = container.isCommandExecutor()
        ? container.commandTask.getCommand()
        : container.executor.getCommand();
    try {
      (command.getUrisCount() == 0 && !hasImage(container) ? starts : agent.launcher)
          .execute(() -> fetchAndStart(container));
    } catch (RejectedExecutionException e) {
      // closing: nothing starts any more
    }
  }

  /** @return whether the container is a command task that runs in a container image */
  private static boolean hasImage(Container container) {
    return container.isCommandExecutor() && ContainerImages.imageOf(container.commandTask) != null;
  }

  /** Fetches the URIs, then starts the process (on a start or launcher thread). */
  private void fetchAndStart(Container container) {
    String failure = null;
    Protos.CommandInfo command = container.isCommandExecutor()
        ? container.commandTask.getCommand()
        : container.executor.getCommand();
    try {
      agent.sandboxes.create(container.sandbox);
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
    if (failure == null && hasImage(container)) {
      podman.unusable(); // the first image task probes podman, here rather than under the lock
    }
    ProcessBuilder builder;
    synchronized (agent) {
      if (agent.closed || container.state == Container.State.TERMINATED) {
        return;
      }
      if (failure != null) {
        fail(container, failure);
        return;
      }
      if (unwanted(container)) {
        terminated(container, OptionalInt.empty());
        return;
      }
      String refusal = container.isCommandExecutor()
          ? ContainerImages.refusal(container.commandTask, podman)
          : ContainerImages.executorRefusal(container.executor);
      if (refusal != null) {
        fail(container, refusal);
        return;
      }
      builder = processBuilder(container, command);
    }
    // Started without the lock, so that an agent starts the processes of many containers at
    // once; the container stays FETCHING meanwhile, so a kill or shutdown acts as before the start.
    Process process = null;
    String startFailure = null;
    try {
      process = starter.start(builder);
      agent.processes.add(process); // close() kills it from now on, or sees closed below
    } catch (IOException e) {
      startFailure = "Failed to launch container: " + e.getMessage();
    }
    String orphanedImageContainer = null;
    synchronized (agent) {
      if (agent.closed || container.state == Container.State.TERMINATED) {
        orphanedImageContainer = container.podmanName;
        discard(process);
      } else if (startFailure != null) {
        fail(container, startFailure);
      } else if (container.stream == null && unwanted(container)) {
        // killed or shut down while it started: as if that came just before the start
        discard(process);
        terminated(container, OptionalInt.empty());
      } else {
        started(container, process);
      }
    }
    if (orphanedImageContainer != null) {
      podman.remove(List.of(orphanedImageContainer));
      podmanNames.remove(orphanedImageContainer);
    }
  }

  /** Shut down, or all its tasks killed before it started: nothing is to run. */
  private static boolean unwanted(Container container) {
    return container.state == Container.State.TERMINATING
        || (!container.everSentTask && container.queued.isEmpty());
  }

  /** The container could not start: its tasks fail with this message. Holds the agent's lock. */
  private void fail(Container container, String failure) {
    LOG.warn("{} failed to start: {}", container, failure);
    container.pendingTermination = new Container.Termination(TaskState.TASK_FAILED,
        Reason.REASON_CONTAINER_LAUNCH_FAILED, failure);
    terminated(container, OptionalInt.empty());
  }

  /** Kills a process nobody wants any more, with whatever it started already. */
  private void discard(Process process) {
    if (process != null) {
      agent.processes.remove(process);
      destroy(process, true);
    }
  }

  /**
   * The process of a container, as its executor or command task runs: its command, environment,
   * sandbox and output files. Holds the agent's lock (it names an image task's podman container).
   */
  private ProcessBuilder processBuilder(Container container, Protos.CommandInfo command) {
    Map<String, String> environment = environment(container, command);
    ProcessBuilder builder;
    if (hasImage(container)) {
      container.podmanName = podman.containerName(agent.config.id(),
          container.commandTask.getTaskId().getValue(), container.containerId.getValue());
      podmanNames.add(container.podmanName);
      builder = podman.builder(ContainerImages.runArguments(container.commandTask,
          container.podmanName, container.sandbox, environment));
      builder.command(agent.network.wrap(builder.command())); // --network=host: the agent's
    } else {
      builder = new ProcessBuilder(agent.network.wrap(inOwnSession(argv(command))));
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    container.environment = Map.copyOf(environment);
    return builder
        .directory(container.sandbox.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(container.sandbox.resolve("stdout")
            .toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(container.sandbox.resolve("stderr")
            .toFile()));
  }

  /** The container's process started: the command task runs, or the executor registers. */
  private void started(Container container, Process process) {
    container.process = process;
    LOG.info("Started {} pid={}", container, process.pid());
    if (container.isCommandExecutor()) {
      Protos.TaskInfo task = container.commandTask;
      container.queued.clear();
      container.launched.put(task.getTaskId(), task);
      agent.started(container, task.getTaskId());
      container.everSentTask = true;
      container.state = Container.State.RUNNING;
      forward(container, commandStatus(container, TaskState.TASK_STARTING, null, null));
      forward(container, commandStatus(container, TaskState.TASK_RUNNING, null, null));
      if (task.hasHealthCheck() || task.hasCheck()) {
        container.checks = new TaskChecks(agent, this, container, podman);
        container.checks.start();
      }
    } else if (container.state == Container.State.FETCHING) {
      container.state = Container.State.REGISTERING;
      container.registrationTimer = agent.timers.schedule(() -> registrationTimeout(container),
          agent.config.registrationTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    try {
      ProcessExits.whenEnded(process, agent.launcher, () -> exited(container, process));
    } catch (RejectedExecutionException e) {
      // closing: close() kills it
    }
  }

  private void registrationTimeout(Container container) {
    synchronized (agent) {
      if (agent.closed || container.state != Container.State.REGISTERING) {
        return;
      }
      LOG.info("Terminating {} because it did not register within {}", container,
          DurationFormat.stringify(agent.config.registrationTimeout()));
      container.state = Container.State.TERMINATING;
      container.pendingTermination = new Container.Termination(TaskState.TASK_FAILED,
          Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT,
          "Executor did not register within "
              + DurationFormat.stringify(agent.config.registrationTimeout()));
      signal(container, true);
    }
  }

  private void exited(Container container, Process process) {
    agent.processes.remove(process);
    synchronized (agent) {
      if (agent.closed || container.state == Container.State.TERMINATED) {
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
    agent.containers.remove(ExecutorKey.of(container.frameworkId, container.executorId()),
        container);
    if (container.process != null && container.process.isAlive()) {
      signal(container, true);
    }
    if (container.podmanName != null) {
      String name = container.podmanName;
      runAside(() -> {
        podman.remove(List.of(name));
        podmanNames.remove(name);
      });
    }
    LOG.info("{} terminated status={}", container, exitStatus);
    agent.sandboxes.collect(container.sandbox);
    if (agent.running(container.frameworkId)) {
      if (container.isCommandExecutor() && container.process != null
          && container.pendingTermination == null && !container.crashed) {
        commandTaskExited(container, exitStatus.orElse(-1));
      } else {
        List<Protos.TaskID> live = new ArrayList<>();
        for (Protos.TaskID taskId : container.launched.keySet()) {
          TaskStatus status = agent.latest.get(TaskKey.of(container.frameworkId, taskId));
          if (status == null || !LocalAgent.isTerminal(status.getState())) {
            live.add(taskId);
          }
        }
        live.addAll(container.queued.keySet());
        Container.Termination termination = container.pendingTermination;
        for (Protos.TaskID taskId : live) {
          updates.enqueue(container.frameworkId, updates.agentStatus(container.frameworkId, taskId,
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
      agent.deliver(() -> agent.master.executorTerminated(agent, container.frameworkId, executorId,
          exitStatus));
    }
    agent.removeFrameworkIfIdle(container.frameworkId);
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
    TaskStatus status = commandStatus(container, state, "Command " + ExitDescriptions.describeExit(exitValue),
        null);
    if (container.killed && container.killedByHealthCheck) {
      status = status.toBuilder().setHealthy(false).build();
    }
    forward(container, status);
  }

  /**
   * An update of the command executor from scratch, as Mesos' command executor creates one:
   * with an empty {@code check_status} of the check's type when the task has a check, and
   * nothing of the health check.
   */
  private TaskStatus commandStatus(Container container, TaskState state, String message,
      Reason reason) {
    TaskStatus status = updates.executorStatus(container, container.commandTask.getTaskId(),
        state, message, reason);
    if (container.commandTask.hasCheck()) {
      status = status.toBuilder()
          .setCheckStatus(TaskChecks.emptyCheckStatus(container.commandTask.getCheck()))
          .build();
    }
    return status;
  }

  /** Sends an update of the command executor, which later health and check updates start from. */
  private void forward(Container container, TaskStatus status) {
    container.lastStatus = status;
    updates.enqueue(container.frameworkId, status);
  }

  /**
   * A health check result worth reporting: TASK_RUNNING as the latest update with
   * {@code healthy} and REASON_TASK_HEALTH_CHECK_STATUS_UPDATED; and the kill when the failures
   * reached {@code consecutive_failures}, with the task's kill policy. Holds the agent's lock.
   */
  void healthChanged(Container container, boolean healthy, boolean kill) {
    if (container.killed || container.lastStatus == null) {
      return;
    }
    forward(container, container.lastStatus.toBuilder()
        .setUuid(StatusUpdates.newUuid())
        .setTimestamp(agent.now())
        .setReason(Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
        .setHealthy(healthy)
        .build());
    if (kill) {
      container.killedByHealthCheck = true;
      Protos.TaskInfo task = container.commandTask;
      killCommandTask(container, task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()
          ? Duration.ofNanos(task.getKillPolicy().getGracePeriod().getNanoseconds())
          : LocalAgent.DEFAULT_KILL_GRACE_PERIOD);
    }
  }

  /**
   * A new check result: TASK_RUNNING as the latest update with the new {@code check_status} and
   * REASON_TASK_CHECK_STATUS_UPDATED. Holds the agent's lock.
   */
  void checkChanged(Container container, Protos.CheckStatusInfo status) {
    if (container.killed || container.lastStatus == null) {
      return;
    }
    forward(container, container.lastStatus.toBuilder()
        .setUuid(StatusUpdates.newUuid())
        .setTimestamp(agent.now())
        .setReason(Reason.REASON_TASK_CHECK_STATUS_UPDATED)
        .setCheckStatus(status)
        .build());
  }

  /**
   * SHUTDOWN (or SIGTERM for a command task), then SIGKILL after the grace period. Holds the
   * agent's lock.
   */
  void shutdown(Container container) {
    switch (container.state) {
      case FETCHING -> container.state = Container.State.TERMINATING; // fetchAndStart ends it
      case REGISTERING, RUNNING -> {
        LOG.info("Shutting down {}", container);
        Duration grace = container.executor.hasShutdownGracePeriod()
            ? Duration.ofNanos(container.executor.getShutdownGracePeriod().getNanoseconds())
            : agent.config.shutdownGracePeriod();
        container.state = Container.State.TERMINATING;
        if (container.isCommandExecutor()) {
          killCommandTask(container, grace);
        } else {
          agent.sendEvent(container, Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        }
        container.shutdownTimer = agent.timers.schedule(() -> shutdownTimeout(container),
            grace.toNanos(), TimeUnit.NANOSECONDS);
      }
      default -> LOG.debug("Ignoring shutdown of {} which is {}", container, container.state);
    }
  }

  private void shutdownTimeout(Container container) {
    synchronized (agent) {
      if (!agent.closed && container.state == Container.State.TERMINATING
          && container.process != null) {
        LOG.info("Killing {} after its shutdown grace period", container);
        signal(container, true);
      }
    }
  }

  /**
   * The command executor's kill: TASK_KILLING when understood, SIGTERM, SIGKILL after grace.
   * A kill of a task being killed changes nothing, unless its grace period ends sooner: then
   * SIGKILL comes sooner (Mesos' command executor only shortens the escalation, so that a
   * scheduler's kill retries neither restart nor extend it). Holds the agent's lock.
   */
  void killCommandTask(Container container, Duration grace) {
    if (container.process == null) {
      return;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    if (container.killed) {
      if (container.killTimer != null && deadline - container.killDeadlineNanos < 0) {
        container.killTimer.cancel(false);
        scheduleSigkill(container, grace, deadline);
      }
      return;
    }
    container.killed = true;
    if (container.checks != null) {
      container.checks.pause();
    }
    if (LocalAgent.hasCapability(container.framework,
        Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      forward(container, commandStatus(container, TaskState.TASK_KILLING, null, null));
    }
    signal(container, false);
    scheduleSigkill(container, grace, deadline);
  }

  private void scheduleSigkill(Container container, Duration grace, long deadline) {
    container.killDeadlineNanos = deadline;
    container.killTimer = agent.timers.schedule(() -> {
      synchronized (agent) {
        if (!agent.closed && container.state != Container.State.TERMINATED) {
          signal(container, true);
        }
      }
    }, grace.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Signals a process and its descendants (SIGTERM, or SIGKILL when forcibly). */
  static void destroy(Process process, boolean forcibly) {
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

  /**
   * SIGTERM or SIGKILL to a container's process tree; to an image task's container through
   * {@code podman kill} (off the agent's lock), its podman client killed too on SIGKILL.
   */
  private void signal(Container container, boolean forcibly) {
    if (container.podmanName == null) {
      destroy(container.process, forcibly);
      return;
    }
    String name = container.podmanName;
    Process client = container.process;
    runAside(() -> {
      boolean signalled = podman.signal(name, forcibly ? "KILL" : "TERM");
      if (forcibly || !signalled) {
        // not yet created or already gone: the client's end is the container's
        destroy(client, forcibly);
      }
    });
  }

  /** Runs podman commands on a launcher thread, never with the agent's lock held. */
  private void runAside(Runnable work) {
    try {
      agent.launcher.execute(work);
    } catch (RejectedExecutionException e) {
      // closing: removeImageContainers removes them
    }
  }

  void killProcessesNow() {
    for (Process process : agent.processes) {
      destroy(process, true);
    }
    removeImageContainers();
  }

  /**
   * Removes this agent's podman containers, running or not: the agent is closing, and killing a
   * podman client leaves its container running. Blocks; never with the agent's lock held.
   */
  void removeImageContainers() {
    if (!podmanNames.isEmpty() && podman.unusable().isEmpty()) {
      podman.remove(List.copyOf(podmanNames));
      podmanNames.clear();
    }
  }

  /** The environment of an executor or command task, as Mesos' executorEnvironment plus more. */
  private Map<String, String> environment(Container container, Protos.CommandInfo command) {
    Map<String, String> environment = new TreeMap<>();
    String libprocessIp = System.getenv("LIBPROCESS_IP");
    if (libprocessIp != null) {
      environment.put("LIBPROCESS_IP", libprocessIp);
    }
    environment.put("LIBPROCESS_PORT", "0");
    boolean checkpoint = agent.config.checkpoint() || container.framework.getCheckpoint();
    Duration grace = container.executor.hasShutdownGracePeriod()
        ? Duration.ofNanos(container.executor.getShutdownGracePeriod().getNanoseconds())
        : agent.config.shutdownGracePeriod();
    environment.put("MESOS_FRAMEWORK_ID", container.frameworkId.getValue());
    environment.put("MESOS_EXECUTOR_ID", container.executorId().getValue());
    environment.put("MESOS_DIRECTORY", container.sandbox.toString());
    environment.put("MESOS_SLAVE_ID", agent.config.id());
    environment.put("MESOS_AGENT_ENDPOINT",
        agent.endpoint.getHost() + ":" + agent.endpoint.getPort());
    environment.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
    environment.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
    environment.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", DurationFormat.stringify(grace));
    if (checkpoint) {
      environment.put("MESOS_RECOVERY_TIMEOUT",
          DurationFormat.stringify(LocalAgent.RECOVERY_TIMEOUT));
      environment.put("MESOS_SUBSCRIPTION_BACKOFF_MAX",
          DurationFormat.stringify(LocalAgent.EXECUTOR_REREGISTRATION_TIMEOUT));
    }
    environment.put("MESOS_SANDBOX", container.sandbox.toString());
    if (agent.tokens != null && !container.isCommandExecutor()) {
      // The command executor speaks to the agent in this JVM; its task never sees a token.
      environment.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", agent.tokens.issue(
          container.frameworkId.getValue(), container.executorId().getValue(),
          container.containerId.getValue()));
    }
    for (Protos.Environment.Variable variable : command.getEnvironment().getVariablesList()) {
      if (variable.getType() != Protos.Environment.Variable.Type.SECRET) {
        environment.put(variable.getName(), variable.getValue());
      }
    }
    environment.putIfAbsent("PATH", LocalAgent.DEFAULT_PATH);
    return environment;
  }

  /**
   * Runs {@code argv} as the leader of a session of its own, as a Mesos agent starts executors:
   * a Ctrl-C in the terminal of the JVM that runs the cluster then reaches the JVM only, and the
   * executors end the way the agent ends them. {@code setsid} execs the program in place (the
   * JVM's child is never a process group leader), so the process keeps its pid. Without
   * {@code setsid} (not Linux) the command runs in the JVM's session.
   */
  static List<String> inOwnSession(List<String> argv) {
    if (!Files.isExecutable(SETSID)) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(argv.size() + 1);
    wrapped.add(SETSID.toString());
    wrapped.addAll(argv);
    return wrapped;
  }

  /** {@code /bin/sh -c value} for a shell command, else execvp(value, arguments) semantics. */
  static List<String> argv(Protos.CommandInfo command) {
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

  static Protos.ExecutorInfo commandExecutorInfo(Protos.FrameworkID frameworkId,
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
}
