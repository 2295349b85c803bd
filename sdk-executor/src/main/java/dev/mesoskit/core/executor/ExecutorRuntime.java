package dev.mesoskit.core.executor;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.ExecutorRegistration;
import dev.mesoskit.core.spi.LaunchedTask;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link TaskHandler} for every task an agent hands this executor, over any
 * {@link ExecutorBackend}, and reports each task's life as status updates. {@link ExecutorMain}
 * builds one from the agent's environment; build one directly to choose the backend.
 *
 * <pre>{@code
 * int exitCode = ExecutorRuntime.builder()
 *     .backend(HttpExecutorBackend.fromEnvironment(ExecutorEnvironment.from(System::getenv)))
 *     .build()
 *     .run(context -> context.progress("working"));
 * }</pre>
 *
 * <p>What it reports, per task: {@code TASK_RUNNING} when the handler starts (for a handler that
 * {@linkplain TaskHandler#reportsReadiness() reports its own readiness}, {@code TASK_STARTING}
 * then and {@code TASK_RUNNING} at {@link TaskContext#ready()});
 * {@code TASK_RUNNING} with the message of {@link TaskContext#progress}, at most one such update per
 * {@linkplain Builder#progressInterval progress interval} (1 s by default) after the task's previous
 * update: a message that comes sooner waits for the interval to pass, a later one replaces it, and
 * one still waiting when the task turns ready or ends is not sent (the RUNNING or terminal update
 * supersedes it);
 * then exactly one
 * terminal update: {@code TASK_FINISHED} when the handler returns, {@code TASK_FAILED} with the
 * exception's type and message when it throws ({@link PermanentFailure#REASON} and its message
 * alone for a {@link PermanentFailure}), {@code TASK_KILLED} after a kill. Every update carries a fresh
 * RFC 4122 version 4 uuid made from the injected random source.
 *
 * <p>Kills: when the framework declared {@code TASK_KILLING_STATE} (the agent passes its
 * capabilities in {@code SUBSCRIBED}), {@code TASK_KILLING} is reported first, and no RUNNING or
 * progress update after it, as Mesos' executors do. The task's thread is interrupted and its
 * context cancelled; {@code TASK_KILLED} is
 * reported when the handler ends, or when the kill grace period passes (the kill's own policy,
 * else the task's {@code kill_policy}, else {@link Builder#killGracePeriod}), whichever is
 * first. A handler that ignores the kill keeps its (daemon) thread, but the runtime no longer
 * waits for it and reports nothing more for it.
 *
 * <p>Checks: the Mesos-native {@linkplain LaunchedTask#healthCheck() health check} and
 * {@linkplain LaunchedTask#readinessCheck() check} of a task run as Mesos' command executor runs
 * them, from {@code delay} after the task's {@code TASK_RUNNING}, against {@code 127.0.0.1} (HTTP,
 * TCP) or in the sandbox with the task's environment (COMMAND). The first passing health probe,
 * and the first after failures, send {@code TASK_RUNNING} with {@code healthy} true and
 * {@code REASON_TASK_HEALTH_CHECK_STATUS_UPDATED}; each counted failure (failures within the grace
 * period by the {@linkplain Builder#clock clock} do not count before a first pass) sends one with
 * {@code healthy} false, and the {@code consecutiveFailures}th in a row kills the task as a KILL
 * would, its {@code TASK_KILLED} with {@code healthy} false. Every update of a task with a check
 * carries {@code check_status} (empty until the first result, and on {@code TASK_KILLING} and
 * terminal updates); each change of the result sends {@code TASK_RUNNING} with
 * {@code REASON_TASK_CHECK_STATUS_UPDATED}. Checks never run before {@code TASK_RUNNING} nor after
 * a kill or the task's end.
 *
 * <p>SHUTDOWN: every task is killed with a grace period of at most half the shutdown grace
 * period, and once every task has ended and its terminal update was acknowledged (or the shutdown
 * grace period is up) {@link #run} returns {@link ExecutorMain#EXIT_SHUTDOWN}. When the agent is
 * lost for good or reports an error, the tasks are killed, the runtime waits at most the kill
 * grace period for their handlers to end, and {@link #run} returns
 * {@link ExecutorMain#EXIT_AGENT_LOST}.
 *
 * <p>Edge cases: a LAUNCH of a task id that is still running refuses that id with
 * {@code TASK_FAILED} (the agent now takes the task as failed) and kills the running handler
 * without reporting it again; a LAUNCH while shutting down is answered {@code TASK_FAILED} with
 * {@code REASON_EXECUTOR_TERMINATED}; a task id that is not a valid MesosKit task id fails with
 * {@code REASON_TASK_INVALID}; a KILL of a task the executor does not run is ignored.
 *
 * <p>Threading: {@link #run} blocks its caller. Every handler runs on its own daemon thread;
 * events from the backend are handled on the backend's threads, kill deadlines on a timer
 * thread, and checks on daemon threads of their own that stop when {@link #run} returns.
 */
public final class ExecutorRuntime {
  private static final Logger log = LoggerFactory.getLogger(ExecutorRuntime.class);

  /** The default least time between a task's update and a progress update after it. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_PROGRESS_INTERVAL = Duration.ofDays(1);

  private final ExecutorBackend backend;
  private final Path sandbox;
  private final Duration shutdownGracePeriod;
  private final Duration killGracePeriod;
  /** Whether the framework declared TASK_KILLING_STATE ({@code SUBSCRIBED.framework_info}). */
  private volatile boolean frameworkUnderstandsKilling;
  private final Duration progressInterval;
  private final TaskStatusFactory statuses;
  private final Clock clock;

  private final AtomicBoolean started = new AtomicBoolean();
  private final Object lock = new Object();
  private final CompletableFuture<Integer> done = new CompletableFuture<>();
  // Guarded by lock.
  private final Map<String, RunningTask> tasks = new LinkedHashMap<>();
  private final List<CompletableFuture<Void>> terminalUpdates = new ArrayList<>();
  private boolean shuttingDown;
  private long shutdownDeadlineNanos;
  private final List<Thread> handlerThreads = new ArrayList<>();

  private volatile TaskHandler handler;
  private volatile ScheduledExecutorService timers;
  private volatile TaskChecks.Threads checkThreads;

  private ExecutorRuntime(Builder b) {
    this.backend = b.backend;
    this.sandbox = b.sandbox;
    this.shutdownGracePeriod = b.shutdownGracePeriod;
    this.killGracePeriod = b.killGracePeriod;
    this.progressInterval = b.progressInterval;
    this.clock = b.clock;
    // Not a SecureRandom: an update's uuid must be unique among the executor's updates, not
    // secret, and the JDK's security providers and seeding cost a cold executor about 13 ms of
    // CPU before its task runs.
    this.statuses = new TaskStatusFactory(b.random != null ? b.random : new SplittableRandom(),
        b.clock);
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Subscribes through the backend and runs tasks with {@code handler} until the agent shuts the
   * executor down or is lost; closes the backend before returning.
   *
   * @param taskHandler the user's code for one task
   * @return {@link ExecutorMain#EXIT_SHUTDOWN} after a SHUTDOWN, or
   *     {@link ExecutorMain#EXIT_AGENT_LOST} when the agent went away for good or reported an
   *     error
   * @throws IllegalStateException when called twice
   * @throws dev.mesoskit.core.MesosKitException when the backend cannot start (it is closed)
   */
  public int run(TaskHandler taskHandler) {
    Objects.requireNonNull(taskHandler, "handler must not be null");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("run was already called on this executor runtime");
    }
    this.handler = taskHandler;
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mesoskit-executor-timer");
      t.setDaemon(true);
      return t;
    });
    this.checkThreads = new TaskChecks.Threads();
    // A handler's System.exit ends the JVM under every task; the agent would only say "Executor
    // terminated". The hook reports where the exit came from first.
    Thread exitWatch = new Thread(new ExitWatch(this)::reportExitFromHandler,
        "mesoskit-executor-exit");
    Runtime.getRuntime().addShutdownHook(exitWatch);
    try {
      backend.subscribe(new Events());
      int code = awaitDone();
      if (code == ExecutorMain.EXIT_SHUTDOWN) {
        flushTerminalUpdates();
      } else {
        awaitHandlers(killGracePeriod);
      }
      log.info("executor exits exit_code={}", code);
      return code;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(exitWatch);
      } catch (IllegalStateException exiting) {
        // the JVM is exiting: the hook runs
      }
      backend.close();
      timers.shutdownNow();
      checkThreads.close();
    }
  }

  private int awaitDone() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return done.get();
        } catch (InterruptedException e) {
          // Treated as a SHUTDOWN: the tasks still get their grace period and their updates.
          interrupted = true;
          log.warn("executor thread interrupted, shutting down");
          shutdown();
        } catch (ExecutionException e) {
          throw new IllegalStateException("the executor's outcome cannot fail", e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until every terminal update was acknowledged, at most until the shutdown deadline. */
  private void flushTerminalUpdates() {
    List<CompletableFuture<Void>> pending;
    long deadline;
    synchronized (lock) {
      pending = List.copyOf(terminalUpdates);
      deadline = shutdownDeadlineNanos;
    }
    long left = deadline - System.nanoTime();
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn("terminal updates not all acknowledged within the shutdown grace period"
          + " unacknowledged={}", pending.stream().filter(f -> !f.isDone()).count());
    } catch (ExecutionException e) {
      log.warn("a terminal update was refused cause={}", e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitHandlers(Duration timeout) {
    List<Thread> threads;
    synchronized (lock) {
      threads = List.copyOf(handlerThreads);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ---------------------------------------------------------------- events

  /** The backend's events; every method returns at once. */
  private final class Events implements ExecutorEvents {
    @Override
    public void subscribed(ExecutorRegistration registration) {
      log.info("executor subscribed framework_id={} executor_id={} agent_id={} agent={}",
          registration.frameworkId(), registration.executorId(), registration.agentId(),
          registration.agentHostname());
      frameworkUnderstandsKilling = registration.hasFrameworkCapability("TASK_KILLING_STATE");
    }

    @Override
    public void launch(LaunchedTask task) {
      ExecutorRuntime.this.launch(task);
    }

    @Override
    public void kill(String mesosTaskId, Optional<Duration> gracePeriod) {
      RunningTask t;
      synchronized (lock) {
        t = tasks.get(mesosTaskId);
      }
      if (t == null) {
        log.info("kill of a task this executor does not run ignored task={}", mesosTaskId);
        return;
      }
      t.kill(gracePeriod.orElse(t.killGracePeriod()), "killed");
    }

    @Override
    public void message(byte[] data) {
      log.debug("framework message ignored bytes={}", data.length);
    }

    @Override
    public void shutdown() {
      ExecutorRuntime.this.shutdown();
    }

    @Override
    public void error(String message) {
      log.error("agent reported an error, executor stops message={}", message);
      abandonAll("the agent reported an error: " + message);
    }

    @Override
    public void disconnected(String cause) {
      log.warn("disconnected from the agent, tasks keep running cause={}", cause);
    }

    @Override
    public void lost(String cause) {
      log.error("agent lost for good, executor stops cause={}", cause);
      abandonAll("the agent was lost: " + cause);
    }
  }

  private void launch(LaunchedTask task) {
    String id = task.mesosTaskId();
    RunningTask duplicate;
    synchronized (lock) {
      duplicate = tasks.get(id);
      if (duplicate == null) {
        start(task);
        return;
      }
    }
    log.warn("duplicate launch of a running task refused, the running handler is killed task={}",
        id);
    duplicate.refuseDuplicate();
  }

  /** Starts a task whose id is not running; called holding the lock. */
  private void start(LaunchedTask task) {
    String id = task.mesosTaskId();
    if (done.isDone()) {
      log.warn("launch after the executor stopped ignored task={}", id);
      return;
    }
    if (shuttingDown) {
      log.warn("launch while shutting down refused task={}", id);
      send(task, TaskState.FAILED, Optional.of("the executor is shutting down"),
          Optional.of("REASON_EXECUTOR_TERMINATED"));
      return;
    }
    RunningTask t;
    try {
      t = new RunningTask(this, task);
    } catch (IllegalArgumentException e) {
      log.warn("task refused task={} problem={}", id, e.getMessage());
      send(task, TaskState.FAILED, Optional.of("not a valid MesosKit task: " + e.getMessage()),
          Optional.of(PermanentFailure.REASON));
      return;
    }
    tasks.put(id, t);
    Thread thread = new Thread(t::run, "mesoskit-task-" + id);
    thread.setDaemon(true);
    t.thread = thread;
    handlerThreads.add(thread);
    thread.start();
  }

  private void shutdown() {
    List<RunningTask> all;
    synchronized (lock) {
      if (shuttingDown || done.isDone()) {
        return;
      }
      shuttingDown = true;
      shutdownDeadlineNanos = System.nanoTime() + shutdownGracePeriod.toNanos();
      all = List.copyOf(tasks.values());
    }
    Duration cap = shutdownGracePeriod.dividedBy(2);
    log.info("shutting down tasks={} shutdown_grace_period={}", all.size(), shutdownGracePeriod);
    for (RunningTask t : all) {
      Duration grace = t.killGracePeriod().compareTo(cap) < 0 ? t.killGracePeriod() : cap;
      t.kill(grace, "killed: the executor shuts down");
    }
    endedOne();
  }

  private void abandonAll(String why) {
    List<RunningTask> all = runningTasks();
    for (RunningTask t : all) {
      t.kill(t.killGracePeriod(), "killed: " + why);
    }
    done.complete(ExecutorMain.EXIT_AGENT_LOST);
    log.info("tasks abandoned tasks={} reason={}", all.size(), why);
  }

  /** Completes a shutdown once no task is left. */
  private void endedOne() {
    synchronized (lock) {
      if (shuttingDown && tasks.isEmpty()) {
        done.complete(ExecutorMain.EXIT_SHUTDOWN);
      }
    }
  }

  /** Sends an update that belongs to no running task (a refused launch). */
  private void send(LaunchedTask task, TaskState state, Optional<String> message,
      Optional<String> reason) {
    send(task, state, message, reason, Optional.empty());
  }

  /** Sends a task's update; a terminal one is kept until it is acknowledged. */
  void send(LaunchedTask task, TaskState state, Optional<String> message,
      Optional<String> reason, Optional<byte[]> data) {
    send(task, state, message, reason, data, Optional.empty(), Optional.empty());
  }

  /** Sends a task's update with its health verdict and check result. */
  void send(LaunchedTask task, TaskState state, Optional<String> message,
      Optional<String> reason, Optional<byte[]> data, Optional<Boolean> healthy,
      Optional<CheckResult> checkStatus) {
    CompletableFuture<Void> f = backend.update(
        statuses.create(task, state, message, reason, data, healthy, checkStatus));
    if (state.endsAttempt()) {
      keepTerminal(f);
    }
  }

  /** Keeps a terminal update until it is acknowledged, so that a shutdown can wait for it. */
  private void keepTerminal(CompletableFuture<Void> update) {
    synchronized (lock) {
      terminalUpdates.removeIf(CompletableFuture::isDone);
      terminalUpdates.add(update);
    }
  }

  // ---------------------------------------------------------------- for RunningTask, ExitWatch

  Path sandbox() {
    return sandbox;
  }

  Duration progressInterval() {
    return progressInterval;
  }

  /** The kill grace period of a task whose launch carries no kill policy. */
  /** Whether a kill is reported TASK_KILLING first (the framework has TASK_KILLING_STATE). */
  boolean frameworkUnderstandsKilling() {
    return frameworkUnderstandsKilling;
  }

  Duration killGracePeriod() {
    return killGracePeriod;
  }

  TaskHandler handler() {
    return handler;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  TaskChecks.Threads checkThreads() {
    return checkThreads;
  }

  Clock clock() {
    return clock;
  }

  /** The tasks that run now, in launch order. */
  List<RunningTask> runningTasks() {
    synchronized (lock) {
      return List.copyOf(tasks.values());
    }
  }

  /** The terminal updates that may not be acknowledged yet. */
  List<CompletableFuture<Void>> terminalUpdates() {
    synchronized (lock) {
      return List.copyOf(terminalUpdates);
    }
  }

  /** A handler thread ended: a stop need not wait for it. */
  void handlerEnded(Thread thread) {
    synchronized (lock) {
      handlerThreads.remove(thread);
    }
  }

  /** A task ended (or was abandoned): forgets it and completes a shutdown once none is left. */
  void removed(RunningTask t) {
    synchronized (lock) {
      tasks.remove(t.task.mesosTaskId(), t);
    }
    endedOne();
  }

  /**
   * Where a thread called {@code System.exit} or {@code Runtime.exit}; see
   * {@link ExitWatch#exitCaller}.
   */
  static String exitCaller(StackTraceElement[] stack) {
    return ExitWatch.exitCaller(stack);
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds an {@link ExecutorRuntime}. Required: {@link #backend}. Defaults: the working directory
   * as sandbox, a 5 s shutdown grace period (the agent's default), a 3 s kill grace period (the
   * command executor's default), a 1 s progress interval, a {@link SplittableRandom} for uuids
   * (unique, not secret), the system clock.
   */
  public static final class Builder {
    private ExecutorBackend backend;
    private Path sandbox = Path.of("").toAbsolutePath();
    private Duration shutdownGracePeriod = ExecutorEnvironment.DEFAULT_SHUTDOWN_GRACE_PERIOD;
    private Duration killGracePeriod = Duration.ofSeconds(3);
    private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
    private RandomGenerator random;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the connection to the agent.
     *
     * @param backend the backend; the runtime subscribes it and closes it
     * @return this builder
     */
    public Builder backend(ExecutorBackend backend) {
      this.backend = backend;
      return this;
    }

    /**
     * Sets the sandbox tasks see in {@link TaskContext#sandbox()}.
     *
     * @param sandbox default the working directory
     * @return this builder
     */
    public Builder sandbox(Path sandbox) {
      this.sandbox = sandbox;
      return this;
    }

    /**
     * Sets how long a SHUTDOWN may take ({@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD}).
     *
     * @param gracePeriod default 5 s
     * @return this builder
     */
    public Builder shutdownGracePeriod(Duration gracePeriod) {
      this.shutdownGracePeriod = gracePeriod;
      return this;
    }

    /**
     * Sets how long a killed task may take to stop when neither the kill nor the task carries a
     * kill policy.
     *
     * @param gracePeriod default 3 s
     * @return this builder
     */
    public Builder killGracePeriod(Duration gracePeriod) {
      this.killGracePeriod = gracePeriod;
      return this;
    }

    /**
     * Sets the least time between a task's update and a progress update after it: every status
     * update is stored, forwarded and acknowledged by the agent, the master and the scheduler,
     * so a task that reports progress often (or a short task that reports any) would cost more in
     * updates than in work. {@link Duration#ZERO} sends every {@link TaskContext#progress} call.
     *
     * @param interval default 1 s, at most a day
     * @return this builder
     */
    public Builder progressInterval(Duration interval) {
      this.progressInterval = interval;
      return this;
    }

    /**
     * Sets the random source of the updates' uuids.
     *
     * @param random default a {@link SplittableRandom} seeded by the JDK (unique uuids, not secret
     *     ones)
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /**
     * Sets the clock of the updates' timestamps and of health checks' grace periods.
     *
     * @param clock default the system clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Validates and builds the runtime.
     *
     * @return the runtime
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public ExecutorRuntime build() {
      if (backend == null) {
        throw new IllegalArgumentException("backend must be set");
      }
      Objects.requireNonNull(sandbox, "sandbox must not be null");
      Objects.requireNonNull(clock, "clock must not be null");
      notNegative("shutdownGracePeriod", shutdownGracePeriod);
      notNegative("killGracePeriod", killGracePeriod);
      notNegative("progressInterval", progressInterval);
      if (progressInterval.compareTo(MAX_PROGRESS_INTERVAL) > 0) {
        throw new IllegalArgumentException("progressInterval must be at most "
            + MAX_PROGRESS_INTERVAL + " but was " + progressInterval);
      }
      return new ExecutorRuntime(this);
    }

    private static void notNegative(String name, Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be >= 0 but was " + d);
      }
    }
  }
}
