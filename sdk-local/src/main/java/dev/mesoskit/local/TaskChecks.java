package dev.mesoskit.local;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
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
 * task, run as Mesos' command executor and default executor run them: the first probe after
 * {@code delay_seconds}, the next {@code interval_seconds} after each result, a probe failing
 * after {@code timeout_seconds}; HTTP probes GET {@code 127.0.0.1:port} and follow redirects as
 * Mesos' {@code curl -L} does (the final answer's 200 to 399 passes), TCP probes connect to it,
 * COMMAND probes run the command with {@code /bin/sh -c} where the {@link Target} says (in the
 * sandbox with the task's environment, or inside the container through {@code podman exec} for
 * an image task). What a result means for the task's updates is the target's, as Mesos' health
 * checker and checker decide it: the health check reports its first pass, every failure outside
 * the grace period and the first pass after failures, and asks for the kill after
 * {@code consecutive_failures}; the check reports every change of its result.
 *
 * <p>Threading: timers and probes run where the target schedules them; results are handled with
 * the target's lock held, which also guards this object's state.
 */
final class TaskChecks {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);
  /** How many redirects an HTTP probe follows: curl's default {@code --max-redirs}. */
  static final int MAX_REDIRECTS = 50;

  /**
   * Where the probes of one task run and where their results go: the agent's command executor
   * or the default executor.
   */
  interface Target {
    /** The lock that guards the task and this object's state. */
    Object lock();

    /**
     * Runs a probe after a delay, off the timer thread; null when nothing runs any more.
     *
     * @param probe the probe, which takes the lock itself
     * @param after the delay
     * @return the timer, to cancel
     */
    ScheduledFuture<?> schedule(Runnable probe, Duration after);

    /** Whether results still count: the task runs and is not being killed. Holds the lock. */
    boolean live();

    /**
     * A health result worth reporting. Holds the lock.
     *
     * @param healthy the result
     * @param kill whether the failures reached {@code consecutive_failures}
     */
    void healthChanged(boolean healthy, boolean kill);

    /**
     * A new check result. Holds the lock.
     *
     * @param status the result
     */
    void checkChanged(CheckStatusInfo status);

    /**
     * How a check command runs, without the lock.
     *
     * @param argv the command's argv
     * @param environment the command's own environment variables
     * @return a builder to start
     */
    ProcessBuilder command(List<String> argv, Map<String, String> environment);
  }

  private final Protos.TaskInfo task;
  private final Target target;
  private final long startNanos;
  // guarded by target.lock()
  private boolean paused;
  private boolean initializing = true;
  private int consecutiveFailures;
  private CheckStatusInfo previousCheck;
  private ScheduledFuture<?> healthTimer;
  private ScheduledFuture<?> checkTimer;

  /** The checks of a command task, reported by the agent's command executor. */
  TaskChecks(LocalAgent agent, Containerizer containerizer, Container container, Podman podman) {
    this(container.commandTask, new CommandExecutorTarget(agent, containerizer, container,
        podman));
  }

  /** The checks of a task, reported to a target. */
  TaskChecks(Protos.TaskInfo task, Target target) {
    this.task = task;
    this.target = target;
    this.startNanos = System.nanoTime();
  }

  /** Starts the probes the task has. Holds the target's lock. */
  void start() {
    if (task.hasHealthCheck()) {
      healthTimer = target.schedule(this::healthProbe,
          seconds(task.getHealthCheck().getDelaySeconds()));
    }
    if (task.hasCheck()) {
      previousCheck = emptyCheckStatus(task.getCheck());
      checkTimer = target.schedule(this::checkProbe, seconds(task.getCheck().getDelaySeconds()));
    }
  }

  /** Stops every probe: the task is being killed or has ended. Holds the target's lock. */
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

  private static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (Math.max(0, seconds) * 1e9));
  }

  /** The command executor's target: the agent's timers, launcher threads and lock. */
  private static final class CommandExecutorTarget implements Target {
    private final LocalAgent agent;
    private final Containerizer containerizer;
    private final Container container;
    private final Podman podman;

    CommandExecutorTarget(LocalAgent agent, Containerizer containerizer, Container container,
        Podman podman) {
      this.agent = agent;
      this.containerizer = containerizer;
      this.container = container;
      this.podman = podman;
    }

    @Override
    public Object lock() {
      return agent;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable probe, Duration after) {
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

    @Override
    public boolean live() {
      return !agent.closed && container.state == Container.State.RUNNING;
    }

    @Override
    public void healthChanged(boolean healthy, boolean kill) {
      containerizer.healthChanged(container, healthy, kill);
    }

    @Override
    public void checkChanged(CheckStatusInfo status) {
      containerizer.checkChanged(container, status);
    }

    @Override
    public ProcessBuilder command(List<String> argv, Map<String, String> environment) {
      String name = container.podmanName;
      if (name != null) {
        List<String> args = new ArrayList<>(List.of("exec"));
        environment.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.add(name);
        args.addAll(argv);
        return podman.builder(args);
      }
      ProcessBuilder builder = new ProcessBuilder(argv).directory(container.sandbox.toFile());
      builder.environment().clear();
      builder.environment().putAll(container.environment);
      builder.environment().putAll(environment);
      return builder;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Health check
  // ---------------------------------------------------------------------------------------------

  private void healthProbe() {
    HealthCheck check = task.getHealthCheck();
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
    synchronized (target.lock()) {
      if (paused || !target.live()) {
        return;
      }
      if (healthy) {
        if (initializing || consecutiveFailures > 0) {
          target.healthChanged(true, false);
          initializing = false;
        }
        consecutiveFailures = 0;
      } else if (initializing && check.getGracePeriodSeconds() > 0
          && System.nanoTime() - startNanos
              <= seconds(check.getGracePeriodSeconds()).toNanos()) {
        LOG.info("Ignoring failure of the health check of task {}: still in grace period",
            task.getTaskId().getValue());
      } else {
        consecutiveFailures++;
        LOG.warn("Health check of task {} failed {} times consecutively",
            task.getTaskId().getValue(), consecutiveFailures);
        target.healthChanged(false, consecutiveFailures >= check.getConsecutiveFailures());
      }
      if (!paused) {
        healthTimer = target.schedule(this::healthProbe, seconds(check.getIntervalSeconds()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Check
  // ---------------------------------------------------------------------------------------------

  private void checkProbe() {
    CheckInfo check = task.getCheck();
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
    synchronized (target.lock()) {
      if (paused || !target.live()) {
        return;
      }
      if (!status.equals(previousCheck)) {
        previousCheck = status;
        target.checkChanged(status);
      }
      if (!paused) {
        checkTimer = target.schedule(this::checkProbe, seconds(check.getIntervalSeconds()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Probes, on a probe thread without the target's lock
  // ---------------------------------------------------------------------------------------------

  /**
   * GETs {@code scheme://127.0.0.1:port/path} and follows redirects (300, 301, 302, 303, 307 and
   * 308 with a {@code Location}, to any host, over HTTP or HTTPS, at most
   * {@value #MAX_REDIRECTS}) as {@code curl -L} does, all within the timeout; the final answer's status code, empty when none came (no connection, a timeout,
   * a redirect without a usable {@code Location}, too many redirects).
   */
  static OptionalInt http(String scheme, int port, String path, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    URL url;
    try {
      String file = path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
      url = new URL(scheme, "127.0.0.1", port, file);
    } catch (IOException e) {
      return OptionalInt.empty();
    }
    for (int redirects = 0; ; redirects++) {
      long left = deadline - System.nanoTime();
      if (!timeout.isZero() && left <= 0) {
        return OptionalInt.empty();
      }
      int millis = timeout.isZero() ? 0
          : (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
      HttpURLConnection connection = null;
      try {
        connection = (HttpURLConnection) url.openConnection();
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setRequestMethod("GET");
        int code = connection.getResponseCode();
        String location = connection.getHeaderField("Location");
        if (!isRedirect(code) || location == null) {
          return OptionalInt.of(code);
        }
        if (redirects >= MAX_REDIRECTS) {
          return OptionalInt.empty();
        }
        url = url.toURI().resolve(location.trim()).toURL();
        if (!url.getProtocol().equals("http") && !url.getProtocol().equals("https")) {
          return OptionalInt.empty();
        }
      } catch (IOException | URISyntaxException | RuntimeException e) {
        return OptionalInt.empty();
      } finally {
        if (connection != null) {
          connection.disconnect();
        }
      }
    }
  }

  private static boolean isRedirect(int code) {
    return code == 300 || code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
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
   * Runs a check command where the target runs it: on the host in the sandbox with the task's
   * environment, or inside the task's container. The exit code; empty when it could not run or
   * timed out (timeout 0: none).
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
    ProcessBuilder builder = target.command(argv, own);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      LOG.warn("Cannot run the check command of task {}: {}",
          task.getTaskId().getValue(), e.getMessage());
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
          task.getTaskId().getValue(), DurationFormat.stringify(timeout));
      Containerizer.destroy(process, true);
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Containerizer.destroy(process, true);
      return OptionalInt.empty();
    }
  }
}
