package dev.mesoskit.core.internal;

import dev.mesoskit.core.FrameworkListener;
import dev.mesoskit.core.FrameworkObserver;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.LeaderElection;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.StateStore;
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
 * @param stateStore where tasks are kept between runs; empty to keep the id alone, in
 *     {@code idStore}
 * @param election the leader election; empty when this instance leads alone
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
    LongSupplier nanoTime,
    Optional<StateStore> stateStore,
    Optional<LeaderElection> election) {

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
   * @param stateStore where tasks are kept between runs; empty to keep the id alone, in
   *     {@code idStore}
   * @param election the leader election; empty when this instance leads alone
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
        implicitReconcileInterval, placementTimeout, nanoTimeOf(clock), Optional.empty(),
        Optional.empty());
  }

  /**
   * The configuration without a state store or leader election, durations from
   * {@code nanoTime}.
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
  public RuntimeConfig(FrameworkInfo info, SchedulerBackend backend, PackingStrategy packing,
      RetryPolicy retryPolicy, FrameworkIdStore idStore, List<TaskListener> listeners,
      List<FrameworkListener> frameworkListeners, List<FrameworkObserver> observers,
      Clock clock, ScheduledExecutorService executor, boolean ownsExecutor,
      RandomGenerator random, Duration refuse, Duration reconcileInitial, Duration reconcileMax,
      Duration implicitReconcileInterval, Optional<Duration> placementTimeout,
      LongSupplier nanoTime) {
    this(info, backend, packing, retryPolicy, idStore, listeners, frameworkListeners, observers,
        clock, executor, ownsExecutor, random, refuse, reconcileInitial, reconcileMax,
        implicitReconcileInterval, placementTimeout, nanoTime, Optional.empty(), Optional.empty());
  }

  /**
   * This configuration with a state store and a leader election.
   *
   * @param store where tasks are kept between runs; null to keep the id alone
   * @param leaderElection the election; null when this instance leads alone
   * @return the configuration
   */
  public RuntimeConfig durable(StateStore store, LeaderElection leaderElection) {
    return new RuntimeConfig(info, backend, packing, retryPolicy, idStore, listeners,
        frameworkListeners, observers, clock, executor, ownsExecutor, random, refuse,
        reconcileInitial, reconcileMax, implicitReconcileInterval, placementTimeout, nanoTime,
        Optional.ofNullable(store), Optional.ofNullable(leaderElection));
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
