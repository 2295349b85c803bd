package dev.mesoskit.core.executor;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.spi.LaunchedTask;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mesos-native checks of one task, run as Mesos' command executor runs them: its
 * {@link HealthCheck} and its {@link ReadinessCheck} ({@code CheckInfo}), each probing from
 * {@code delay} after {@link #start()} (the task turned {@code TASK_RUNNING}), then
 * {@code interval} after each probe ended, every probe given at most {@code timeout}.
 *
 * <p>Health: the first passing probe, and the first after failures, report {@code healthy};
 * every counted failure reports unhealthy, and the {@code consecutiveFailures}th in a row asks
 * for the task to be killed. Failures within {@code gracePeriod} of the start (by the injected
 * clock) are not counted while no probe has passed yet. Check: each change of the result is
 * reported; a probe that could not be performed (timed out, no HTTP answer) gives the empty
 * result of its kind, as in Mesos.
 *
 * <p>Threading: probes run on the probe threads of {@link Threads} and are timed on its timer
 * thread, never on the runtime's threads; the listener is called on either, one call at a time
 * per check, and never while this object's monitor is held. {@link #stop()} is safe from any
 * thread, also while holding the task's monitor, and interrupts a probe still running.
 */
final class TaskChecks {
  private static final Logger log = LoggerFactory.getLogger(ExecutorRuntime.class);

  /** Who hears the checks' verdicts: the task, which turns them into status updates. */
  interface Listener {
    /**
     * The health verdict changed, or one more failure was counted.
     *
     * @param healthy the verdict
     * @param message why, for an unhealthy verdict
     * @param killMessage present when the task is to be killed for it, with the message of its
     *     {@code TASK_KILLED}
     */
    void healthChanged(boolean healthy, Optional<String> message, Optional<String> killMessage);

    /**
     * The check's result changed.
     *
     * @param result the new result
     */
    void checkChanged(CheckResult result);
  }

  /** The threads of every task's checks in one executor; closing stops them all. */
  static final class Threads implements AutoCloseable {
    private final ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(daemon("mesoskit-executor-checks"));
    private final ExecutorService probes =
        Executors.newCachedThreadPool(daemon("mesoskit-executor-probe-"));

    private static ThreadFactory daemon(String name) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, name.endsWith("-") ? name + n.incrementAndGet() : name);
        t.setDaemon(true);
        return t;
      };
    }

    /** Stops every check: no probe starts any more and running ones are interrupted. */
    @Override
    public void close() {
      timers.shutdownNow();
      probes.shutdownNow();
    }
  }

  private final Threads threads;
  private final Clock clock;
  private final Listener listener;
  private final Optional<HealthCheck> healthCheck;
  private final Loop health;
  private final Loop check;
  private final String taskId;

  // Guarded by this.
  private boolean started;
  private boolean stopped;

  // Written by the health loop only, one probe at a time; read by the task.
  private volatile Boolean healthy;
  private Instant startedAt;
  private boolean everHealthy;
  private int consecutiveFailures;
  // Written by the check loop only, one probe at a time; read by the task.
  private volatile CheckResult checkResult;

  TaskChecks(LaunchedTask task, Threads threads, Path sandbox, Map<String, String> taskEnv,
      Clock clock, Listener listener) {
    this.threads = threads;
    this.clock = clock;
    this.listener = listener;
    this.taskId = task.mesosTaskId();
    this.healthCheck = task.healthCheck();
    this.health = task.healthCheck().map(h -> new Loop("health check",
        new Prober(h.probe(), task, sandbox, taskEnv), h.delay(), h.interval(), h.timeout(),
        this::healthOutcome)).orElse(null);
    Optional<ReadinessCheck> c = task.readinessCheck();
    this.check = c.map(r -> new Loop("check", new Prober(r.probe(), task, sandbox, taskEnv),
        r.delay(), r.interval(), r.timeout(), this::checkOutcome)).orElse(null);
    this.checkResult = c.map(r -> CheckResult.pending(r.probe().kind())).orElse(null);
  }

  /**
   * The latest health verdict.
   *
   * @return empty until a health probe was reported
   */
  Optional<Boolean> healthy() {
    return Optional.ofNullable(healthy);
  }

  /**
   * The latest result of the check.
   *
   * @return empty for a task without a check; the empty result of its kind until a probe ended
   */
  Optional<CheckResult> checkResult() {
    return Optional.ofNullable(checkResult);
  }

  /** Starts probing; the task is running now. Does nothing a second time or after a stop. */
  synchronized void start() {
    if (started || stopped) {
      return;
    }
    started = true;
    startedAt = clock.instant();
    if (health != null) {
      health.schedule(health.delay);
    }
    if (check != null) {
      check.schedule(check.delay);
    }
  }

  /** Stops probing for good: the task is killed or ended. Idempotent. */
  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (health != null) {
      health.cancel();
    }
    if (check != null) {
      check.cancel();
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  private void healthOutcome(Prober.Outcome outcome) {
    HealthCheck h = healthCheck.orElseThrow();
    if (outcome.passed()) {
      boolean report = !everHealthy || consecutiveFailures > 0;
      everHealthy = true;
      consecutiveFailures = 0;
      if (report) {
        healthy = Boolean.TRUE;
        log.info("task healthy task={} probe={}", taskId, outcome.description());
        listener.healthChanged(true, Optional.empty(), Optional.empty());
      }
      return;
    }
    if (!everHealthy && !h.gracePeriod().isZero()
        && Duration.between(startedAt, clock.instant()).compareTo(h.gracePeriod()) <= 0) {
      log.info("failed health check ignored within the grace period task={} probe={}",
          taskId, outcome.description());
      return;
    }
    consecutiveFailures++;
    healthy = Boolean.FALSE;
    int limit = h.consecutiveFailures();
    boolean kill = consecutiveFailures >= limit;
    log.info("task unhealthy task={} consecutive_failures={} limit={} probe={}", taskId,
        consecutiveFailures, limit, outcome.description());
    listener.healthChanged(false,
        Optional.of("health check failed " + consecutiveFailures + " of " + limit
            + " times in a row: " + outcome.description()),
        kill ? Optional.of("killed after " + consecutiveFailures + " consecutive failed health "
            + (consecutiveFailures == 1 ? "check" : "checks") + " (last: "
            + outcome.description() + ")") : Optional.empty());
  }

  private void checkOutcome(Prober.Outcome outcome) {
    CheckResult result = outcome.result();
    if (result.equals(checkResult)) {
      return;
    }
    checkResult = result;
    log.info("task check changed task={} result={} probe={}", taskId, result,
        outcome.description());
    listener.checkChanged(result);
  }

  /** One check's probes: one at a time, the next {@code interval} after the previous ended. */
  private final class Loop {
    private final String what;
    private final Prober prober;
    private final Duration delay;
    private final Duration interval;
    private final Duration timeout;
    private final Consumer<Prober.Outcome> onOutcome;
    // Guarded by TaskChecks.this.
    private ScheduledFuture<?> next;
    private Future<?> running;

    Loop(String what, Prober prober, Duration delay, Duration interval, Duration timeout,
        Consumer<Prober.Outcome> onOutcome) {
      this.what = what;
      this.prober = prober;
      this.delay = delay;
      this.interval = interval;
      this.timeout = timeout;
      this.onOutcome = onOutcome;
    }

    void schedule(Duration after) {
      synchronized (TaskChecks.this) {
        if (stopped) {
          return;
        }
        try {
          next = threads.timers.schedule(this::probe, after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException executorStopped) {
          log.debug("{} not scheduled, the executor stopped task={}", what, taskId);
        }
      }
    }

    void cancel() {
      if (next != null) {
        next.cancel(false);
      }
      if (running != null) {
        running.cancel(true);
      }
    }

    /** Starts a probe on a probe thread and its timeout on the timer thread. */
    private void probe() {
      CompletableFuture<Prober.Outcome> outcome = new CompletableFuture<>();
      ScheduledFuture<?> watchdog;
      synchronized (TaskChecks.this) {
        if (stopped) {
          return;
        }
        try {
          Future<?> work = threads.probes.submit(() -> runProbe(outcome));
          running = work;
          watchdog = threads.timers.schedule(() -> {
            if (outcome.complete(prober.timedOut(timeout))) {
              work.cancel(true);
            }
          }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException executorStopped) {
          log.debug("{} not run, the executor stopped task={}", what, taskId);
          return;
        }
      }
      outcome.whenComplete((o, e) -> {
        watchdog.cancel(false);
        if (o == null || isStopped()) {
          return;
        }
        try {
          onOutcome.accept(o);
        } catch (RuntimeException failed) {
          log.warn("{} result not reported task={} result={}", what, taskId, o.description(),
              failed);
        }
        schedule(interval);
      });
    }

    private void runProbe(CompletableFuture<Prober.Outcome> outcome) {
      try {
        outcome.complete(prober.run(timeout));
      } catch (InterruptedException stoppedOrTimedOut) {
        outcome.cancel(false);
      } catch (RuntimeException e) {
        outcome.complete(new Prober.Outcome(false, CheckResult.pending(prober.kind()),
            prober.describe() + " failed: " + e));
      }
    }
  }
}
