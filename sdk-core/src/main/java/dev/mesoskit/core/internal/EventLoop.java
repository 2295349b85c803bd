package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>Queued work waits in a queue of the loop's own, in the order it was queued; one task on the
 * executor at a time runs it, up to {@value #BATCH} pieces of work and then again after what the
 * executor holds (timers that fell due meanwhile). A backend that delivers thousands of events a
 * second so costs the executor one hand-off per batch, not one per event; within {@link #batch}
 * the hand-off waits for the end of the batch. Work queued while the loop is behind may so run
 * before a timer that fell due shortly before it was queued, by at most one batch; work queued
 * for no delay ({@link #schedule} with zero) keeps its place among queued work.
 *
 * <p>Threading: {@link #enqueue}, {@link #schedule} and {@link #runAfterQueued} may be called from
 * any thread; the work they take runs on the event thread, one event at a time.
 */
final class EventLoop {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  /** How much queued work one task on the executor runs before timers get their turn. */
  static final int BATCH = 256;

  private final RuntimeConfig config;
  private final Observers observers;
  private final BooleanSupplier stopped;
  private final BooleanSupplier terminated;
  private final Consumer<Throwable> fail;
  private volatile Thread eventThread;
  /** Work queued and not yet run, in order; run by {@link #drain}. */
  private final EventQueue queued = new EventQueue();
  /** The thread inside {@link #batch}, whose work is handed over at its end; null when none. */
  private final AtomicReference<Thread> batching = new AtomicReference<>();
  /** Whether the batching thread queued work that it must hand over. Batching thread only. */
  private boolean handOverOwed;
  /** Whether a {@link #drain} is on the executor, or running, and will see what is queued. */
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Runs the queue; one object, handed to the executor each time. */
  private final Runnable drain = this::drain;

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
    if (!observers.any()) {
      queue(work, true);
      return;
    }
    long at = config.nanoTime().getAsLong();
    queue(() -> {
      long lag = config.nanoTime().getAsLong() - at;
      observers.eventLoopLag(Duration.ofNanos(Math.max(0L, lag)));
      work.run();
    }, true);
  }

  /**
   * Adds work to the queue and makes sure a drain will see it.
   *
   * @param strict whether a rejecting executor is an error unless the framework stopped
   * @return false when the executor rejected the drain
   */
  private boolean queue(Runnable work, boolean strict) {
    queued.add(work);
    if (batching.get() == Thread.currentThread()) {
      handOverOwed = true; // at the end of the batch
      return true;
    }
    return handOver(strict);
  }

  /**
   * Makes sure a drain will run what is queued: hands one to the executor unless one is there.
   *
   * @param strict whether a rejecting executor is an error unless the framework stopped
   * @return false when the executor rejected the drain
   */
  private boolean handOver(boolean strict) {
    if (draining.get() || !draining.compareAndSet(false, true)) {
      return true; // a drain is on the executor and will get to it
    }
    try {
      config.executor().execute(drain);
      return true;
    } catch (RejectedExecutionException e) {
      draining.set(false);
      if (strict && !stopped.getAsBoolean()) {
        throw new MesosKitException("framework " + config.info().name()
            + " event loop rejected work: it was shut down by someone else", e);
      }
      return false;
    }
  }

  /**
   * Runs {@code deliveries} on the calling thread; what it queues is handed to the event thread
   * when it returns, at once, rather than piece by piece. Work queued by other threads meanwhile
   * keeps its place and is handed over as usual. A batch within a batch, or on a second thread
   * while one runs, is no batch of its own.
   *
   * @throws MesosKitException as {@link #enqueue}, at the end of the batch
   */
  void batch(Runnable deliveries) {
    Thread current = Thread.currentThread();
    if (!batching.compareAndSet(null, current)) {
      deliveries.run();
      return;
    }
    try {
      deliveries.run();
    } finally {
      boolean owed = handOverOwed;
      handOverOwed = false; // before the next batch, maybe on another thread, may set it
      batching.set(null);
      if (owed) {
        handOver(true);
      }
    }
  }

  /** Runs work after {@code delay} on the clock of the executor; dropped once it is shut down. */
  void schedule(Runnable work, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      queue(work, false); // in its place among the work queued before and after it
      return;
    }
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
    AfterQueued last = new AfterQueued(work);
    if (!queue(last, false)) {
      last.run();
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

  /**
   * Runs what was queued, in order: up to {@value #BATCH} pieces, then again after what else the
   * executor holds. Event thread; the executor runs one drain at a time.
   */
  private void drain() {
    if (!runUpTo(BATCH)) {
      return;
    }
    try {
      config.executor().execute(drain);
    } catch (RejectedExecutionException e) {
      // Shut down by its owner: nothing comes after this drain, so it runs the rest itself.
      runUpTo(Long.MAX_VALUE);
    }
  }

  /**
   * Runs up to {@code max} queued pieces on this thread.
   *
   * @return true when {@code max} ran and more may wait; false when the queue ran empty and this
   *     drain ended (the next piece queued hands a new one over)
   */
  private boolean runUpTo(long max) {
    for (long ran = 0; ran < max; ran++) {
      Runnable work = queued.poll();
      if (work == null) {
        draining.set(false);
        // Queued after the poll but before the flag was cleared: nobody handed a drain over.
        if (queued.isEmpty() || !draining.compareAndSet(false, true)) {
          return false;
        }
        continue;
      }
      runQueued(work);
    }
    return true;
  }

  private void runQueued(Runnable work) {
    if (!(work instanceof AfterQueued last)) {
      run(work);
      return;
    }
    try {
      last.run();
    } catch (RuntimeException | Error e) {
      log.error("framework work after the queued events failed name={}", config.info().name(), e);
    }
  }

  private void run(Runnable work) {
    Thread current = Thread.currentThread();
    if (eventThread != current) {
      eventThread = current;
    }
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

  /**
   * Work that runs after what was queued before it even though the framework stopped, exactly
   * once: from the queue, or by the caller when the executor takes no more work.
   */
  private static final class AfterQueued implements Runnable {
    private final Runnable work;
    private final AtomicBoolean ran = new AtomicBoolean();

    AfterQueued(Runnable work) {
      this.work = work;
    }

    @Override
    public void run() {
      if (ran.compareAndSet(false, true)) {
        work.run();
      }
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
