package dev.mesoskit.local;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health check ({@code TaskInfo.health_check}) and the check ({@code TaskInfo.check}) of a
 * command task, run as Mesos' command executor runs them: the first probe after
 * {@code delay_seconds}, the next {@code interval_seconds} after each result, a probe failing
 * after {@code timeout_seconds}; HTTP probes GET {@code 127.0.0.1:port} (200 to 399 passes), TCP
 * probes connect to it, COMMAND probes run the command with {@code /bin/sh -c} in the sandbox
 * with the task's environment (inside the container, through {@code podman exec}, for an image
 * task). What a result means for the task's updates is {@link Containerizer}'s, as Mesos'
 * health checker and checker decide it: the health check reports its first pass, every failure
 * outside the grace period and the first pass after failures, and asks for the kill after
 * {@code consecutive_failures}; the check reports every change of its result.
 *
 * <p>Threading: timers run on the agent's timer thread, probes on its launcher threads; results
 * are handled with the agent's lock held, which also guards this object's state.
 */
final class TaskChecks {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

  private final LocalAgent agent;
  private final Containerizer containerizer;
  private final Container container;
  private final Podman podman;
  private final long startNanos;
  // guarded by agent
  private boolean paused;
  private boolean initializing = true;
  private int consecutiveFailures;
  private CheckStatusInfo previousCheck;
  private ScheduledFuture<?> healthTimer;
  private ScheduledFuture<?> checkTimer;

  TaskChecks(LocalAgent agent, Containerizer containerizer, Container container, Podman podman) {
    this.agent = agent;
    this.containerizer = containerizer;
    this.container = container;
    this.podman = podman;
    this.startNanos = System.nanoTime();
  }

  /** Starts the probes the task has. Holds the agent's lock. */
  void start() {
    Protos.TaskInfo task = container.commandTask;
    if (task.hasHealthCheck()) {
      healthTimer = schedule(this::healthProbe, seconds(task.getHealthCheck().getDelaySeconds()));
    }
    if (task.hasCheck()) {
      previousCheck = emptyCheckStatus(task.getCheck());
      checkTimer = schedule(this::checkProbe, seconds(task.getCheck().getDelaySeconds()));
    }
  }

  /** Stops every probe: the task is being killed or has ended. Holds the agent's lock. */
  void pause() {
    paused = true;
    for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {healthTimer, checkTimer}) {
      if (timer != null) {
        timer.cancel(false);
      }
    }
    healthTimer = null;
    checkTimer = null;
  }

  /**
   * The check status of a check without a result yet, as every update of a task with a check
   * carries until the first result: its type and an empty result of that type.
   */
  static CheckStatusInfo emptyCheckStatus(CheckInfo check) {
    CheckStatusInfo.Builder status = CheckStatusInfo.newBuilder().setType(check.getType());
    switch (check.getType()) {
      case COMMAND -> status.setCommand(CheckStatusInfo.Command.getDefaultInstance());
      case HTTP -> status.setHttp(CheckStatusInfo.Http.getDefaultInstance());
      case TCP -> status.setTcp(CheckStatusInfo.Tcp.getDefaultInstance());
      default -> { }
    }
    return status.build();
  }

  private ScheduledFuture<?> schedule(Runnable probe, Duration after) {
    try {
      return agent.timers.schedule(() -> {
        try {
          agent.launcher.execute(probe);
        } catch (RejectedExecutionException e) {
          // the agent is closing
        }
      }, after.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (Math.max(0, seconds) * 1e9));
  }

  // ---------------------------------------------------------------------------------------------
  // Health check
  // ---------------------------------------------------------------------------------------------

  private void healthProbe() {
    HealthCheck check = container.commandTask.getHealthCheck();
    Duration timeout = seconds(check.getTimeoutSeconds());
    boolean healthy;
    HealthCheck.Type type = check.hasType() ? check.getType()
        : check.hasHttp() ? HealthCheck.Type.HTTP : HealthCheck.Type.COMMAND;
    switch (type) {
      case HTTP -> {
        OptionalInt status = http(check.getHttp().getScheme().isEmpty() ? "http"
            : check.getHttp().getScheme(), check.getHttp().getPort(), check.getHttp().getPath(),
            timeout);
        healthy = status.isPresent() && status.getAsInt() >= 200 && status.getAsInt() < 400;
      }
      case TCP -> healthy = tcp(check.getTcp().getPort(), timeout);
      default -> {
        OptionalInt exit = command(check.getCommand(), timeout);
        healthy = exit.isPresent() && exit.getAsInt() == 0;
      }
    }
    synchronized (agent) {
      if (paused || agent.closed || container.state != Container.State.RUNNING) {
        return;
      }
      if (healthy) {
        if (initializing || consecutiveFailures > 0) {
          containerizer.healthChanged(container, true, false);
          initializing = false;
        }
        consecutiveFailures = 0;
      } else if (initializing && check.getGracePeriodSeconds() > 0
          && System.nanoTime() - startNanos
              <= seconds(check.getGracePeriodSeconds()).toNanos()) {
        LOG.info("Ignoring failure of the health check of task {}: still in grace period",
            container.commandTask.getTaskId().getValue());
      } else {
        consecutiveFailures++;
        LOG.warn("Health check of task {} failed {} times consecutively",
            container.commandTask.getTaskId().getValue(), consecutiveFailures);
        containerizer.healthChanged(container, false,
            consecutiveFailures >= check.getConsecutiveFailures());
      }
      if (!paused) {
        healthTimer = schedule(this::healthProbe, seconds(check.getIntervalSeconds()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Check
  // ---------------------------------------------------------------------------------------------

  private void checkProbe() {
    CheckInfo check = container.commandTask.getCheck();
    Duration timeout = seconds(check.getTimeoutSeconds());
    CheckStatusInfo.Builder result = emptyCheckStatus(check).toBuilder();
    switch (check.getType()) {
      case COMMAND -> command(check.getCommand().getCommand(), timeout).ifPresent(
          exit -> result.setCommand(CheckStatusInfo.Command.newBuilder().setExitCode(exit)));
      case HTTP -> http("http", check.getHttp().getPort(), check.getHttp().getPath(), timeout)
          .ifPresent(code -> result.setHttp(CheckStatusInfo.Http.newBuilder()
              .setStatusCode(code)));
      case TCP -> result.setTcp(CheckStatusInfo.Tcp.newBuilder()
          .setSucceeded(tcp(check.getTcp().getPort(), timeout)));
      default -> { }
    }
    CheckStatusInfo status = result.build();
    synchronized (agent) {
      if (paused || agent.closed || container.state != Container.State.RUNNING) {
        return;
      }
      if (!status.equals(previousCheck)) {
        previousCheck = status;
        containerizer.checkChanged(container, status);
      }
      if (!paused) {
        checkTimer = schedule(this::checkProbe, seconds(check.getIntervalSeconds()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Probes, on a launcher thread without the agent's lock
  // ---------------------------------------------------------------------------------------------

  /** GETs {@code scheme://127.0.0.1:port/path}; the status code, empty when none came. */
  private static OptionalInt http(String scheme, int port, String path, Duration timeout) {
    HttpURLConnection connection = null;
    try {
      String file = path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
      connection = (HttpURLConnection) new URL(scheme, "127.0.0.1", port, file).openConnection();
      connection.setInstanceFollowRedirects(false);
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setRequestMethod("GET");
      return OptionalInt.of(connection.getResponseCode());
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** Whether a TCP connection to {@code 127.0.0.1:port} opens within the timeout. */
  private static boolean tcp(int port, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port),
          (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Runs a check command: on the host in the sandbox with the task's environment, or inside the
   * task's container. The exit code; empty when it could not run or timed out (timeout 0: none).
   */
  private OptionalInt command(Protos.CommandInfo command, Duration timeout) {
    List<String> argv = new ArrayList<>();
    if (!command.hasShell() || command.getShell()) {
      argv.addAll(List.of("/bin/sh", "-c", command.getValue()));
    } else {
      argv.add(command.getValue());
      List<String> arguments = command.getArgumentsList();
      argv.addAll(arguments.subList(Math.min(1, arguments.size()), arguments.size()));
    }
    Map<String, String> own = new TreeMap<>();
    for (Protos.Environment.Variable variable : command.getEnvironment().getVariablesList()) {
      if (variable.getType() != Protos.Environment.Variable.Type.SECRET) {
        own.put(variable.getName(), variable.getValue());
      }
    }
    ProcessBuilder builder;
    String name = container.podmanName;
    if (name != null) {
      List<String> args = new ArrayList<>(List.of("exec"));
      own.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
      args.add(name);
      args.addAll(argv);
      builder = podman.builder(args);
    } else {
      builder = new ProcessBuilder(argv).directory(container.sandbox.toFile());
      builder.environment().clear();
      builder.environment().putAll(container.environment);
      builder.environment().putAll(own);
    }
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      LOG.warn("Cannot run the check command of task {}: {}",
          container.commandTask.getTaskId().getValue(), e.getMessage());
      return OptionalInt.empty();
    }
    try {
      if (timeout.isZero()) {
        return OptionalInt.of(process.waitFor());
      }
      if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return OptionalInt.of(process.exitValue());
      }
      LOG.warn("Check command of task {} timed out after {}",
          container.commandTask.getTaskId().getValue(), DurationFormat.stringify(timeout));
      Containerizer.destroy(process, true);
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Containerizer.destroy(process, true);
      return OptionalInt.empty();
    }
  }
}
