package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's counterpart of Mesos' default executor
 * ({@code src/launcher/default_executor.cpp}), run by an agent for an ExecutorInfo of type DEFAULT: a JVM of its own that speaks the v1
 * executor API to its agent and runs each task of a LAUNCH_GROUP as a command in its own sandbox,
 * {@code <executor sandbox>/tasks/<task id>}, with a container id of its own whose parent is the
 * executor's container. A SANDBOX_PATH volume of type PARENT becomes a symbolic link
 * {@code container_path} in the task's sandbox to {@code <executor sandbox>/<path>}.
 *
 * <p>As Mesos' default executor: every task gets TASK_STARTING then TASK_RUNNING; a task that
 * fails or is killed gets the other live tasks of its group killed (TASK_KILLING when the
 * framework has TASK_KILLING_STATE, SIGTERM, SIGKILL after the kill policy's grace period,
 * 3 s by default); once no task is left the executor exits with status 0 (the scheduler gets
 * FAILURE with status 0), after the agent acknowledged its updates (60 s at most).
 *
 * <p>Each task's {@code health_check} and {@code check} run through {@link TaskChecks} (COMMAND
 * probes in the task's sandbox with its environment, HTTP and TCP against 127.0.0.1), reported
 * as Mesos' default executor reports them: TASK_RUNNING copies of the task's latest update with
 * REASON_TASK_HEALTH_CHECK_STATUS_UPDATED and {@code healthy}, or
 * REASON_TASK_CHECK_STATUS_UPDATED and the new {@code check_status}; every update created from
 * scratch (TASK_STARTING, TASK_RUNNING, TASK_KILLING, the terminal one) of a task with a check
 * carries an empty {@code check_status} of its type. After {@code consecutive_failures} the task
 * is killed, and from then on every terminal update of the executor says {@code healthy: false}
 * (Mesos keeps one such flag per executor, MESOS-8543), its group's included.
 *
 * <p>Limits: tasks run as host processes, not in nested containers. A task with a container
 * image (the group's tasks cannot have a Docker ContainerInfo) ends TASK_FAILED at once, without
 * TASK_RUNNING, as a task whose nested container failed to launch: "Failed to launch container:
 * Unsupported container image type: DOCKER; LocalCluster cannot run ..."; so does a command
 * without a value (above all {@code shell: false} with only arguments, which only an image's
 * entrypoint could run). Either failure gets the rest of the group killed.
 *
 * <p>Threading: events are read on the main thread, process exits and kill escalations run on
 * a timer thread, probes on probe threads; all take this object's monitor but for the probe
 * itself. Calls to the agent go out one at a time, in order, on a sender thread.
 */
final class DefaultExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultExecutor.class);
  private static final String PROTOBUF = "application/x-protobuf";
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
  private static final Duration ACK_WAIT = Duration.ofSeconds(60);

  private final Map<String, String> env;
  private final URI endpoint;
  private final Protos.FrameworkID frameworkId;
  private final Protos.ExecutorID executorId;
  private final Path sandbox;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> daemon(r,
      "default-executor-sender"));
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "default-executor-timers"));
  private final ExecutorService probes = Executors.newCachedThreadPool(r -> daemon(r,
      "default-executor-checks"));

  // Guarded by this.
  private Protos.FrameworkInfo framework = Protos.FrameworkInfo.getDefaultInstance();
  private Protos.ContainerID ownContainer = Protos.ContainerID.getDefaultInstance();
  private final Map<String, Child> children = new LinkedHashMap<>();
  private final Map<ByteString, Call.Update> unacknowledged = new LinkedHashMap<>();
  private boolean shuttingDown;
  private boolean finished;
  private boolean streamEnded;
  private boolean sentAny;
  /** A task was killed for failing its health check: terminal updates say healthy false. */
  private boolean unhealthy;

  /** A task's nested container. */
  private static final class Child {
    final Protos.TaskInfo task;
    final List<Child> group;
    final Protos.ContainerID containerId;
    Process process;
    boolean killing;
    boolean killingTaskGroup;
    /** The task's health check and check; null without either or once it is killed. */
    TaskChecks checks;
    /** The latest update of the task, which health and check updates start from. */
    Protos.TaskStatus lastStatus;
    /** The task's sandbox and environment, which its check commands get too. */
    Path sandbox;
    Map<String, String> environment = Map.of();

    Child(Protos.TaskInfo task, List<Child> group, Protos.ContainerID containerId) {
      this.task = task;
      this.group = group;
      this.containerId = containerId;
    }
  }

  private DefaultExecutor(Map<String, String> env) {
    this.env = env;
    this.endpoint = URI.create("http://" + require(env, "MESOS_AGENT_ENDPOINT")
        + "/api/v1/executor");
    this.frameworkId = Protos.FrameworkID.newBuilder()
        .setValue(require(env, "MESOS_FRAMEWORK_ID")).build();
    this.executorId = Protos.ExecutorID.newBuilder()
        .setValue(require(env, "MESOS_EXECUTOR_ID")).build();
    this.sandbox = Path.of(require(env, "MESOS_SANDBOX"));
  }

  /**
   * Runs the default executor in this JVM until its tasks are done.
   *
   * @param args none
   */
  public static void main(String[] args) {
    int status = 0;
    try {
      new DefaultExecutor(System.getenv()).run();
    } catch (Exception e) {
      LOG.error("default executor failed", e);
      status = 1;
    }
    System.exit(status);
  }

  /**
   * The ExecutorInfo an agent starts for a DEFAULT executor: the same with a command that runs
   * this class in a JVM (the agent's own java and class path).
   */
  static Protos.ExecutorInfo runnable(Protos.ExecutorInfo executor) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classPath = System.getProperty("java.class.path");
    List<String> argv = List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xmx64m", "-cp", classPath, DefaultExecutor.class.getName());
    return executor.toBuilder().setCommand(Protos.CommandInfo.newBuilder()
        .setShell(false).setValue(java).addAllArguments(argv)).build();
  }

  private static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(name + " must be set in the environment");
    }
    return value;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private HttpRequest.Builder request(Call call) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
    String token = env.get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
  }

  private void run() throws Exception {
    HttpResponse<InputStream> response = http.send(request(call(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build()).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("SUBSCRIBE answered " + response.statusCode());
    }
    InputStream in = response.body();
    Thread reader = daemon(() -> read(in), "default-executor-events");
    reader.start();
    synchronized (this) {
      while (!finished) {
        wait();
      }
      long deadline = System.nanoTime() + ACK_WAIT.toNanos();
      long left;
      while (!unacknowledged.isEmpty() && !streamEnded
          && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    sender.shutdown();
    sender.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Reads and handles events until the stream ends; then shuts down what still runs. */
  private void read(InputStream in) {
    try (in) {
      byte[] record;
      while ((record = readRecord(in)) != null) {
        handle(Event.parseFrom(record));
      }
    } catch (IOException e) {
      LOG.info("default executor lost its agent: {}", e.toString());
    } finally {
      synchronized (this) {
        streamEnded = true;
        shutdown();
        notifyAll();
      }
    }
  }

  /** One RecordIO record, or null at the end of the stream. */
  private static byte[] readRecord(InputStream in) throws IOException {
    long length = 0;
    int digits = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (digits == 0) {
          return null;
        }
        throw new EOFException("stream ended in a record header");
      }
      if (c == '\n') {
        break;
      }
      if (c < '0' || c > '9' || ++digits > 10) {
        throw new IOException("bad RecordIO header");
      }
      length = length * 10 + (c - '0');
    }
    if (length > 64 << 20) {
      throw new IOException("record too long: " + length);
    }
    byte[] record = in.readNBytes((int) length);
    if (record.length != length) {
      throw new EOFException("stream ended in a record");
    }
    return record;
  }

  private synchronized void handle(Event event) {
    switch (event.getType()) {
      case SUBSCRIBED -> {
        framework = event.getSubscribed().getFrameworkInfo();
        ownContainer = event.getSubscribed().getContainerId();
      }
      case LAUNCH_GROUP -> launchGroup(event.getLaunchGroup().getTaskGroup());
      case KILL -> {
        Child child = children.get(event.getKill().getTaskId().getValue());
        if (child != null && !child.killing) {
          kill(child, event.getKill().hasKillPolicy()
              ? Optional.of(event.getKill().getKillPolicy()) : Optional.empty());
        }
      }
      case ACKNOWLEDGED -> {
        unacknowledged.remove(event.getAcknowledged().getUuid());
        notifyAll();
      }
      case SHUTDOWN -> shutdown();
      case ERROR -> LOG.error("agent error: {}", event.getError().getMessage());
      default -> LOG.debug("ignored event type={}", event.getType());
    }
  }

  private void launchGroup(Protos.TaskGroupInfo group) {
    if (shuttingDown) {
      return;
    }
    List<Child> members = new ArrayList<>();
    for (Protos.TaskInfo task : group.getTasksList()) {
      Child child = new Child(task, members, Protos.ContainerID.newBuilder()
          .setValue(UUID.randomUUID().toString()).setParent(ownContainer).build());
      members.add(child);
      children.put(task.getTaskId().getValue(), child);
    }
    for (Child child : members) {
      forward(child, status(child, TaskState.TASK_STARTING, null));
    }
    // As Mesos: launch every container, then TASK_RUNNING and the checks for those that
    // launched, then the failures of the others, which get the group killed.
    Map<Child, String> failures = new LinkedHashMap<>();
    for (Child child : members) {
      String failure = start(child);
      if (failure != null) {
        failures.put(child, failure);
      }
    }
    for (Child child : members) {
      if (child.process != null) {
        forward(child, status(child, TaskState.TASK_RUNNING, null));
        if (child.task.hasHealthCheck() || child.task.hasCheck()) {
          child.checks = new TaskChecks(child.task, new ChecksTarget(child));
          child.checks.start();
        }
      }
    }
    failures.forEach((child, failure) -> exited(child, null, failure));
  }

  /**
   * Why a task cannot run here, in Mesos' words (its provisioner's, or its launch helper's) with
   * LocalCluster's reason, as the TASK_FAILED message; null when it can. Mesos' launch helper
   * refuses a command without a value after TASK_RUNNING (exit status 1); here the task fails
   * before, saying why.
   */
  static String launchRefusal(Protos.TaskInfo task) {
    Protos.Image image = ContainerImages.imageOf(task);
    if (image != null) {
      return "Failed to launch container: Unsupported container image type: " + image.getType()
          + "; LocalCluster cannot run container images in task groups: its default executor"
          + " runs each task as a host process, not in a nested container; run the group on a"
          + " Mesos agent with a container runtime, or launch the task on its own (LAUNCH), which"
          + " runs Docker images in podman";
    }
    Protos.CommandInfo command = task.getCommand();
    if (!command.hasValue() && (!command.hasShell() || command.getShell())) {
      return "Failed to launch container: Shell command is not specified; a shell command needs"
          + " a value, the command line that /bin/sh -c runs";
    }
    if (!command.hasValue()) {
      return "Failed to launch container: Executable path is not specified; LocalCluster runs a"
          + " task group's tasks as host processes, so a command with shell false needs a value,"
          + " the executable to run: only a container image's entrypoint could stand in for it,"
          + " and LocalCluster cannot run images in task groups";
    }
    return null;
  }

  /** Starts a task's command in its own sandbox; the failure, or null. */
  private String start(Child child) {
    Protos.TaskInfo task = child.task;
    String refusal = launchRefusal(task);
    if (refusal != null) {
      return refusal;
    }
    Path taskSandbox = sandbox.resolve("tasks").resolve(task.getTaskId().getValue());
    try {
      Files.createDirectories(taskSandbox);
      for (Protos.Volume volume : task.getContainer().getVolumesList()) {
        parentVolume(volume, taskSandbox);
      }
      ProcessBuilder builder = new ProcessBuilder(
          Containerizer.inOwnSession(Containerizer.argv(task.getCommand())))
          .directory(taskSandbox.toFile())
          .redirectOutput(ProcessBuilder.Redirect.appendTo(taskSandbox.resolve("stdout").toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(taskSandbox.resolve("stderr").toFile()));
      Map<String, String> environment = builder.environment();
      environment.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
      environment.put("MESOS_SANDBOX", taskSandbox.toString());
      for (Protos.Environment.Variable v : task.getCommand().getEnvironment().getVariablesList()) {
        if (v.getType() != Protos.Environment.Variable.Type.SECRET) {
          environment.put(v.getName(), v.getValue());
        }
      }
      child.sandbox = taskSandbox;
      child.environment = Map.copyOf(environment);
      Process process = builder.start();
      child.process = process;
      // A probe thread waits (Process.onExit would start a thread per child on two cores).
      ProcessExits.whenEnded(process, probes, () -> {
        try {
          timers.execute(() -> {
            synchronized (this) {
              exited(child, process.exitValue(), null);
            }
          });
        } catch (RejectedExecutionException e) {
          // shutting down
        }
      });
      LOG.info("task started task={} pid={} sandbox={}", task.getTaskId().getValue(),
          process.pid(), taskSandbox);
      return null;
    } catch (IOException | RuntimeException e) {
      return "Failed to launch container: " + e.getMessage();
    }
  }

  /**
   * A SANDBOX_PATH volume of type PARENT: {@code container_path} in the task's sandbox links to
   * {@code path} in the executor's sandbox (created when missing). Other volumes are ignored.
   */
  private void parentVolume(Protos.Volume volume, Path taskSandbox) throws IOException {
    if (!volume.hasSource() || volume.getSource().getType() != Protos.Volume.Source.Type.SANDBOX_PATH
        || volume.getSource().getSandboxPath().getType()
            != Protos.Volume.Source.SandboxPath.Type.PARENT) {
      return;
    }
    Path target = sandbox.resolve(volume.getSource().getSandboxPath().getPath()).normalize();
    Path link = taskSandbox.resolve(volume.getContainerPath().replaceFirst("^/+", ""))
        .normalize();
    if (!target.startsWith(sandbox) || !link.startsWith(taskSandbox)) {
      throw new IOException("volume path outside the sandbox: " + volume.getContainerPath());
    }
    Files.createDirectories(target);
    Files.createDirectories(link.getParent());
    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(link, target);
    }
  }

  /** A task's process ended (exit value), or never started (failure). */
  private void exited(Child child, Integer exitValue, String failure) {
    if (children.get(child.task.getTaskId().getValue()) != child) {
      return;
    }
    TaskState state;
    String message;
    if (exitValue == null) {
      state = TaskState.TASK_FAILED;
      message = failure;
    } else {
      message = "Command " + ExitDescriptions.describeExit(exitValue);
      state = child.killing ? TaskState.TASK_KILLED
          : exitValue == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED;
    }
    if (child.checks != null) {
      child.checks.pause();
      child.checks = null;
    }
    Protos.TaskStatus status = status(child, state, message);
    if (unhealthy) {
      status = status.toBuilder().setHealthy(false).build();
    }
    forward(child, status);
    LOG.info("task completed task={} state={} message={}", child.task.getTaskId().getValue(),
        state, message);
    if (!shuttingDown && !child.killingTaskGroup
        && (state == TaskState.TASK_FAILED || state == TaskState.TASK_KILLED)) {
      for (Child other : child.group) {
        other.killingTaskGroup = true;
        if (other != child && children.get(other.task.getTaskId().getValue()) == other
            && !other.killing) {
          kill(other, Optional.empty());
        }
      }
    }
    children.remove(child.task.getTaskId().getValue());
    if (children.isEmpty()) {
      finished = true;
      notifyAll();
    }
  }

  private void shutdown() {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    if (children.isEmpty()) {
      finished = true;
      notifyAll();
      return;
    }
    for (Child child : List.copyOf(children.values())) {
      if (!child.killing) {
        kill(child, Optional.empty());
      }
    }
  }

  /**
   * TASK_KILLING when understood, SIGTERM, SIGKILL after the grace period; the checks stop.
   * Nothing for a task whose process never started: its TASK_FAILED is on its way.
   */
  private void kill(Child child, Optional<Protos.KillPolicy> policy) {
    if (child.process == null) {
      return;
    }
    if (child.checks != null) {
      child.checks.pause();
      child.checks = null;
    }
    Duration grace = DEFAULT_GRACE;
    Protos.KillPolicy chosen = policy.orElse(child.task.hasKillPolicy()
        ? child.task.getKillPolicy() : null);
    if (chosen != null && chosen.hasGracePeriod()) {
      grace = Duration.ofNanos(Math.max(0, chosen.getGracePeriod().getNanoseconds()));
    }
    child.killing = true;
    if (framework.getCapabilitiesList().stream().anyMatch(c ->
        c.getType() == Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      forward(child, status(child, TaskState.TASK_KILLING, null));
    }
    Process process = child.process;
    Containerizer.destroy(process, false);
    timers.schedule(() -> {
      if (process.isAlive()) {
        Containerizer.destroy(process, true);
      }
    }, grace.toNanos(), TimeUnit.NANOSECONDS);
  }

  private Protos.TaskStatus status(Child child, TaskState state, String message) {
    Protos.ContainerStatus.Builder container = Protos.ContainerStatus.newBuilder()
        .setContainerId(child.containerId);
    boolean terminal = LocalAgent.isTerminal(state);
    if (!terminal) {
      container.addNetworkInfos(Protos.NetworkInfo.newBuilder().addIpAddresses(
          Protos.NetworkInfo.IPAddress.newBuilder()
              .setProtocol(Protos.NetworkInfo.Protocol.IPv4).setIpAddress("127.0.0.1")));
      if (sentAny) {
        // as recorded: every non-terminal update but the executor's very first has its pid
        container.setExecutorPid((int) ProcessHandle.current().pid());
      }
    }
    sentAny = true;
    Protos.TaskStatus.Builder status = Protos.TaskStatus.newBuilder()
        .setTaskId(child.task.getTaskId())
        .setState(state)
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
        .setExecutorId(executorId)
        .setTimestamp(System.currentTimeMillis() / 1000.0)
        .setUuid(StatusUpdates.newUuid())
        .setContainerStatus(container);
    if (message != null) {
      status.setMessage(message);
    }
    if (child.task.hasCheck()) {
      status.setCheckStatus(TaskChecks.emptyCheckStatus(child.task.getCheck()));
    }
    return status.build();
  }

  /** Sends an update of a task, which later health and check updates start from. */
  private void forward(Child child, Protos.TaskStatus status) {
    child.lastStatus = status;
    forward(status);
  }

  private void forward(Protos.TaskStatus status) {
    Call.Update update = Call.Update.newBuilder().setStatus(status).build();
    unacknowledged.put(status.getUuid(), update);
    Call call = call(Call.Type.UPDATE).setUpdate(update).build();
    sender.execute(() -> {
      try {
        HttpResponse<Void> r = http.send(request(call).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 202) {
          LOG.warn("UPDATE answered {} task={}", r.statusCode(),
              status.getTaskId().getValue());
        }
      } catch (IOException | InterruptedException e) {
        LOG.warn("UPDATE failed task={}: {}", status.getTaskId().getValue(), e.toString());
      }
    });
  }

  /** Where a task's probes run (timer thread, then a probe thread) and where results go. */
  private final class ChecksTarget implements TaskChecks.Target {
    private final Child child;

    ChecksTarget(Child child) {
      this.child = child;
    }

    @Override
    public Object lock() {
      return DefaultExecutor.this;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable probe, Duration after) {
      try {
        return timers.schedule(() -> {
          try {
            probes.execute(probe);
          } catch (RejectedExecutionException e) {
            // exiting
          }
        }, after.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        return null;
      }
    }

    @Override
    public boolean live() {
      return !shuttingDown && !child.killing && child.checks != null
          && children.get(child.task.getTaskId().getValue()) == child;
    }

    @Override
    public void healthChanged(boolean healthy, boolean kill) {
      LOG.info("task health task={} healthy={}", child.task.getTaskId().getValue(), healthy);
      forward(child, child.lastStatus.toBuilder()
          .setUuid(StatusUpdates.newUuid())
          .setTimestamp(System.currentTimeMillis() / 1000.0)
          .setReason(Protos.TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
          .setHealthy(healthy)
          .build());
      if (kill) {
        unhealthy = true;
        kill(child, Optional.empty());
      }
    }

    @Override
    public void checkChanged(Protos.CheckStatusInfo status) {
      forward(child, child.lastStatus.toBuilder()
          .setUuid(StatusUpdates.newUuid())
          .setTimestamp(System.currentTimeMillis() / 1000.0)
          .setReason(Protos.TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED)
          .setCheckStatus(status)
          .build());
    }

    @Override
    public ProcessBuilder command(List<String> argv, Map<String, String> environment) {
      ProcessBuilder builder = new ProcessBuilder(argv).directory(child.sandbox.toFile());
      builder.environment().clear();
      builder.environment().putAll(child.environment);
      builder.environment().putAll(environment);
      return builder;
    }
  }
}
