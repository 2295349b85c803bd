package dev.mesoskit.core.internal;

import dev.mesoskit.core.FrameworkListener;
import dev.mesoskit.core.FrameworkObserver;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.SchedulerBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Everything a {@link FrameworkRuntime} needs, validated by {@code Framework.Builder}.
 *
 * @param info what to subscribe with (without the stored id)
 * @param backend the port to the master
 * @param packing the packing strategy
 * @param retryPolicy the default retry policy
 * @param idStore where the framework id lives between runs
 * @param listeners the task listeners
 * @param frameworkListeners the framework listeners
 * @param observers the framework observers, in order
 * @param clock the time source
 * @param executor the single-threaded event loop and timer
 * @param ownsExecutor whether closing the framework shuts the executor down
 * @param random jitter source
 * @param refuse how long declined resources are refused
 * @param reconcileInitial the first explicit reconciliation backoff
 * @param reconcileMax the longest explicit reconciliation backoff
 * @param implicitReconcileInterval the period of implicit reconciliation
 * @param placementTimeout how long a task whose spec sets none may wait for an offer that fits
 * @param nanoTime the source of durations (packing passes, event-loop lag), in nanoseconds
 */
public record RuntimeConfig(
    FrameworkInfo info,
    SchedulerBackend backend,
    PackingStrategy packing,
    RetryPolicy retryPolicy,
    FrameworkIdStore idStore,
    List<TaskListener> listeners,
    List<FrameworkListener> frameworkListeners,
    List<FrameworkObserver> observers,
    Clock clock,
    ScheduledExecutorService executor,
    boolean ownsExecutor,
    RandomGenerator random,
    Duration refuse,
    Duration reconcileInitial,
    Duration reconcileMax,
    Duration implicitReconcileInterval,
    Optional<Duration> placementTimeout,
    LongSupplier nanoTime) {

  /**
   * Copies the listeners.
   *
   * @param info what to subscribe with (without the stored id)
   * @param backend the port to the master
   * @param packing the packing strategy
   * @param retryPolicy the default retry policy
   * @param idStore where the framework id lives between runs
   * @param listeners the task listeners
   * @param frameworkListeners the framework listeners
   * @param observers the framework observers, in order
   * @param clock the time source
   * @param executor the single-threaded event loop and timer
   * @param ownsExecutor whether closing the framework shuts the executor down
   * @param random jitter source
   * @param refuse how long declined resources are refused
   * @param reconcileInitial the first explicit reconciliation backoff
   * @param reconcileMax the longest explicit reconciliation backoff
   * @param implicitReconcileInterval the period of implicit reconciliation
   * @param placementTimeout how long a task whose spec sets none may wait for an offer that fits
   * @param nanoTime the source of durations (packing passes, event-loop lag), in nanoseconds
   */
  public RuntimeConfig {
    listeners = List.copyOf(listeners);
    frameworkListeners = List.copyOf(frameworkListeners);
    observers = List.copyOf(observers);
  }

  /**
   * The configuration with the durations' source {@link #nanoTimeOf the clock implies}.
   *
   * @param info what to subscribe with (without the stored id)
   * @param backend the port to the master
   * @param packing the packing strategy
   * @param retryPolicy the default retry policy
   * @param idStore where the framework id lives between runs
   * @param listeners the task listeners
   * @param frameworkListeners the framework listeners
   * @param observers the framework observers, in order
   * @param clock the time source
   * @param executor the single-threaded event loop and timer
   * @param ownsExecutor whether closing the framework shuts the executor down
   * @param random jitter source
   * @param refuse how long declined resources are refused
   * @param reconcileInitial the first explicit reconciliation backoff
   * @param reconcileMax the longest explicit reconciliation backoff
   * @param implicitReconcileInterval the period of implicit reconciliation
   * @param placementTimeout how long a task whose spec sets none may wait for an offer that fits
   */
  public RuntimeConfig(FrameworkInfo info, SchedulerBackend backend, PackingStrategy packing,
      RetryPolicy retryPolicy, FrameworkIdStore idStore, List<TaskListener> listeners,
      List<FrameworkListener> frameworkListeners, List<FrameworkObserver> observers,
      Clock clock, ScheduledExecutorService executor, boolean ownsExecutor,
      RandomGenerator random, Duration refuse, Duration reconcileInitial, Duration reconcileMax,
      Duration implicitReconcileInterval, Optional<Duration> placementTimeout) {
    this(info, backend, packing, retryPolicy, idStore, listeners, frameworkListeners, observers,
        clock, executor, ownsExecutor, random, refuse, reconcileInitial, reconcileMax,
        implicitReconcileInterval, placementTimeout, nanoTimeOf(clock));
  }

  /**
   * Where durations are measured for a framework with {@code clock}: {@link System#nanoTime()}
   * for a system clock (the default, wall time that may jump), else the clock's own time in
   * nanoseconds, so that a test's virtual clock drives them too.
   *
   * @param clock the framework's clock
   * @return the durations' source
   */
  public static LongSupplier nanoTimeOf(Clock clock) {
    if (clock.equals(Clock.system(clock.getZone()))) {
      return System::nanoTime;
    }
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
