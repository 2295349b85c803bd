package dev.mesoskit.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} with virtual time, driven by the test thread: nothing runs
 * until the test calls {@link #runPending()} or {@link #advance(Duration)}. Its {@link #clock()}
 * reads the same virtual time, so a framework built with both is fully deterministic.
 *
 * <pre>{@code
 * ManualScheduler loop = new ManualScheduler();
 * Framework fw = Framework.builder().executor(loop).clock(loop.clock())...build();
 * backend.events().offers(...);
 * loop.runPending();               // runs everything due now
 * loop.advance(Duration.ofSeconds(5));  // moves time and runs timers that became due
 * }</pre>
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private static final java.util.Comparator<Job<?>> ORDER =
      java.util.Comparator.<Job<?>>comparingLong(j -> j.dueNanos).thenComparingLong(j -> j.seq);

  private final PriorityQueue<Job<?>> queue = new PriorityQueue<>(ORDER);
  private long nowNanos;
  private long sequence;
  private boolean shutdown;

  /**
   * The virtual clock; starts at 2026-01-01T00:00:00Z.
   *
   * @return a clock reading this scheduler's time
   */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        synchronized (ManualScheduler.this) {
          return EPOCH.plusNanos(nowNanos);
        }
      }
    };
  }

  /**
   * Virtual time elapsed since the start.
   *
   * @return the elapsed time
   */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nowNanos);
  }

  /**
   * Runs every job due now, including jobs those jobs queue for now.
   *
   * @return how many jobs ran
   */
  public int runPending() {
    int ran = 0;
    while (true) {
      Job<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueNanos > nowNanos) {
          return ran;
        }
        queue.poll();
      }
      next.runOnce();
      ran++;
    }
  }

  /**
   * Moves time forward step by step to each timer due within {@code duration}, running it and
   * everything it queues, then to the end of the duration.
   *
   * @param duration how far to move
   */
  public void advance(Duration duration) {
    long end;
    synchronized (this) {
      end = nowNanos + duration.toNanos();
    }
    runPending();
    while (true) {
      synchronized (this) {
        Job<?> next = queue.peek();
        if (next == null || next.dueNanos > end) {
          nowNanos = end;
          break;
        }
        nowNanos = Math.max(nowNanos, next.dueNanos);
      }
      runPending();
    }
    runPending();
  }

  /**
   * Moves time forward without running anything, as if the event thread were busy for that
   * long: jobs queued before run late, at the next {@link #runPending()} or {@link #advance}, and
   * timers that became due meanwhile run then too, late.
   *
   * @param duration how far to move, not negative
   * @throws IllegalArgumentException when {@code duration} is negative
   */
  public synchronized void stall(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0 but was " + duration);
    }
    nowNanos += duration.toNanos();
  }

  /**
   * Lists the delays of the timers still queued, from now.
   *
   * @return one delay per queued job, soonest first
   */
  public synchronized List<Duration> pendingDelays() {
    List<Job<?>> jobs = new ArrayList<>(queue);
    jobs.sort(ORDER);
    List<Duration> out = new ArrayList<>();
    for (Job<?> j : jobs) {
      out.add(Duration.ofNanos(j.dueNanos - nowNanos));
    }
    return out;
  }

  private synchronized <V> Job<V> add(Callable<V> work, long delayNanos, long periodNanos) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("ManualScheduler is shut down");
    }
    Job<V> job = new Job<>(work, nowNanos + Math.max(0, delayNanos), periodNanos, sequence++);
    queue.add(job);
    return job;
  }

  private synchronized void requeue(Job<?> job) {
    // A periodic job cancelled while it ran is not run again, as in ScheduledThreadPoolExecutor.
    if (!shutdown && !job.cancelled) {
      job.dueNanos = nowNanos + job.periodNanos;
      job.seq = sequence++;
      queue.add(job);
    }
  }

  @Override
  public void execute(Runnable command) {
    add(() -> {
      command.run();
      return null;
    }, 0, 0);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(() -> {
      command.run();
      return null;
    }, unit.toNanos(delay), 0);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(callable, unit.toNanos(delay), 0);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
      TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
      long delay, TimeUnit unit) {
    if (delay <= 0) {
      throw new IllegalArgumentException("delay must be > 0 but was " + delay);
    }
    return add(() -> {
      command.run();
      return null;
    }, unit.toNanos(initialDelay), unit.toNanos(delay));
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    queue.clear();
    return List.of();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Job<V> implements ScheduledFuture<V> {
    private final Callable<V> work;
    private final long periodNanos;
    private long dueNanos;
    private long seq;
    private boolean cancelled;
    private boolean finished;
    private V result;
    private Throwable failure;

    Job(Callable<V> work, long dueNanos, long periodNanos, long seq) {
      this.work = work;
      this.dueNanos = dueNanos;
      this.periodNanos = periodNanos;
      this.seq = seq;
    }

    void runOnce() {
      if (cancelled) {
        return;
      }
      try {
        result = work.call();
      } catch (Exception e) {
        failure = e;
        finished = true;
        throw new IllegalStateException("job failed on the ManualScheduler", e);
      }
      if (periodNanos > 0) {
        requeue(this);
      } else {
        finished = true;
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (ManualScheduler.this) {
        return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (ManualScheduler.this) {
        cancelled = true;
        queue.remove(this);
      }
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled || finished;
    }

    @Override
    public V get() throws ExecutionException {
      if (cancelled) {
        throw new CancellationException();
      }
      if (!finished) {
        throw new IllegalStateException("job has not run yet; advance the ManualScheduler");
      }
      if (failure != null) {
        throw new ExecutionException(failure);
      }
      return result;
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws ExecutionException {
      return get();
    }
  }
}
