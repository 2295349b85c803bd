package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's single event thread: holds the configured executor and the thread it runs on,
 * queues work and timers onto it, and turns an event that throws into the framework's failure.
 * Tells the observers how late each queued event runs (its lag, on the configuration's
 * {@link RuntimeConfig#nanoTime() durations' source}).
 *
 * <p>Threading: {@link #enqueue}, {@link #schedule} and {@link #runAfterQueued} may be called from
 * any thread; the work they take runs on the event thread, one event at a time.
 */
final class EventLoop {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final Observers observers;
  private final BooleanSupplier stopped;
  private final BooleanSupplier terminated;
  private final Consumer<Throwable> fail;
  private volatile Thread eventThread;

  /**
   * Creates the loop over the configuration's executor.
   *
   * @param config the configuration, for its executor, clock and the framework name
   * @param observers told of each queued event's lag
   * @param stopped whether the framework stopped: events are dropped, rejected work is expected
   * @param terminated whether the framework terminated: events are dropped
   * @param fail ends the framework with the failure an event threw
   */
  EventLoop(RuntimeConfig config, Observers observers, BooleanSupplier stopped,
      BooleanSupplier terminated, Consumer<Throwable> fail) {
    this.config = config;
    this.observers = observers;
    this.stopped = stopped;
    this.terminated = terminated;
    this.fail = fail;
  }

  /** Queues work; a rejection is an error unless the framework stopped. */
  void enqueue(Runnable work) {
    boolean observed = observers.any();
    long queued = observed ? config.nanoTime().getAsLong() : 0L;
    try {
      config.executor().execute(() -> run(!observed ? work : () -> {
        long lag = config.nanoTime().getAsLong() - queued;
        observers.eventLoopLag(Duration.ofNanos(Math.max(0L, lag)));
        work.run();
      }));
    } catch (RejectedExecutionException e) {
      if (!stopped.getAsBoolean()) {
        throw new MesosKitException("framework " + config.info().name()
            + " event loop rejected work: it was shut down by someone else", e);
      }
    }
  }

  /** Runs work after {@code delay} on the clock of the executor; dropped once it is shut down. */
  void schedule(Runnable work, Duration delay) {
    try {
      config.executor().schedule(() -> run(work), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: timers no longer matter
    }
  }

  /** Runs work every {@code period}, the first time after one period; a rejection throws. */
  ScheduledFuture<?> scheduleWithFixedDelay(Runnable work, Duration period) {
    long nanos = period.toNanos();
    return config.executor().scheduleWithFixedDelay(
        () -> run(work), nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs work on the event thread after the work queued so far, even though the framework
   * stopped; runs it on the calling thread when the executor takes no more work.
   */
  void runAfterQueued(Runnable work) {
    try {
      config.executor().execute(work);
    } catch (RejectedExecutionException e) {
      work.run();
    }
  }

  /** Whether the calling thread is the event thread. */
  boolean onEventThread() {
    return Thread.currentThread() == eventThread;
  }

  /** Shuts the executor down when the framework owns it; an injected one is left to its owner. */
  void shutdown() {
    if (config.ownsExecutor()) {
      config.executor().shutdown();
    }
  }

  private void run(Runnable work) {
    eventThread = Thread.currentThread();
    if (stopped.getAsBoolean() || terminated.getAsBoolean()) {
      return;
    }
    try {
      work.run();
    } catch (ListenerFailure e) {
      fail.accept(e.getCause());
    } catch (RuntimeException | Error e) {
      log.error("framework event failed name={}", config.info().name(), e);
      fail.accept(e);
    }
  }

  /** Carries a listener's failure out of the event so that it fails the framework. */
  static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(MesosKitException cause) {
      super(cause);
    }
  }
}
