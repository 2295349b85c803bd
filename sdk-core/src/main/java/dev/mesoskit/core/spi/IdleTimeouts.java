package dev.mesoskit.core.spi;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Ends reads that stall: a stream from {@link #guard} fails a read with an {@link IOException}
 * when no byte arrived for the idle time, instead of blocking for ever.
 *
 * <p>Why: a JDK {@code HttpClient} request timeout covers the wait for the response headers,
 * not the reading of the body. A peer that sends headers and part of a body and then stalls
 * (a partition without a reset) would block the reading thread, and with it a task's or a
 * batch key's outcome, indefinitely. The guard measures time since the last progress, so a slow
 * but moving transfer of any size is never cut.
 *
 * <pre>{@code
 * try (InputStream in = IdleTimeouts.guard(response.body(), Duration.ofMinutes(1), "GET " + uri)) {
 *   in.transferTo(out); // IOException "GET ... stalled: no data for PT1M" if it stalls
 * }
 * }</pre>
 *
 * <p>Threading: one thread reads a guarded stream at a time; a shared daemon thread watches all
 * guards. When a read stalls, the guard interrupts the reading thread and closes the underlying
 * stream, which ends a blocked read of the JDK HTTP client's body stream; the interrupt it caused
 * is cleared before the read returns.
 */
public final class IdleTimeouts {
  private static final ScheduledExecutorService WATCHER = watcher();

  private IdleTimeouts() {}

  private static ScheduledExecutorService watcher() {
    ScheduledThreadPoolExecutor watcher = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("mesoskit-idle-timeouts");
      t.setDaemon(true);
      return t;
    });
    watcher.setRemoveOnCancelPolicy(true);
    return watcher;
  }

  /**
   * A stream that reads {@code in} and fails a read that got no byte for {@code idle}.
   *
   * @param in the stream to read, typically an HTTP response body
   * @param idle the longest time without progress, positive
   * @param what what is read, for the exception's message, e.g. {@code "GET http://..."}
   * @return the guarded stream; closing it closes {@code in} and stops watching
   * @throws IllegalArgumentException when {@code idle} is not positive
   * @throws NullPointerException when an argument is null
   */
  public static InputStream guard(InputStream in, Duration idle, String what) {
    Objects.requireNonNull(in, "in must not be null");
    Objects.requireNonNull(idle, "idle must not be null");
    Objects.requireNonNull(what, "what must not be null");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("idle must be positive but was " + idle);
    }
    return new Guarded(in, idle, what, System::nanoTime);
  }

  /** The same on a given ticker of nanoseconds, so a test decides how much time passes. */
  static InputStream guard(InputStream in, Duration idle, String what, LongSupplier nanoTime) {
    return new Guarded(in, idle, what, nanoTime);
  }

  private static final class Guarded extends FilterInputStream {
    private final Duration idle;
    private final String what;
    private final LongSupplier nanoTime;
    private volatile long lastProgress;
    private final Object lock = new Object();
    private Thread reader; // guarded by lock
    private boolean expired; // guarded by lock
    private boolean interruptedReader; // guarded by lock
    private boolean closed; // guarded by lock
    private ScheduledFuture<?> check; // guarded by lock

    Guarded(InputStream in, Duration idle, String what, LongSupplier nanoTime) {
      super(in);
      this.idle = idle;
      this.what = what;
      this.nanoTime = nanoTime;
      this.lastProgress = nanoTime.getAsLong();
      synchronized (lock) {
        check = WATCHER.schedule(this::check, idle.toNanos(), TimeUnit.NANOSECONDS);
      }
    }

    private void check() {
      long idleFor = nanoTime.getAsLong() - lastProgress;
      synchronized (lock) {
        if (closed || expired) {
          return;
        }
        if (idleFor < idle.toNanos()) {
          check = WATCHER.schedule(this::check, idle.toNanos() - idleFor, TimeUnit.NANOSECONDS);
          return;
        }
        expired = true;
        if (reader != null && !reader.isInterrupted()) {
          reader.interrupt();
          interruptedReader = true;
        }
      }
      try {
        in.close();
      } catch (IOException | RuntimeException e) {
        // the read fails either way; nothing to add
      }
    }

    @Override
    public int read() throws IOException {
      enter();
      try {
        int b = in.read();
        lastProgress = nanoTime.getAsLong();
        return b;
      } catch (IOException e) {
        throw stalledOr(e);
      } finally {
        leave();
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      enter();
      try {
        int n = in.read(b, off, len);
        lastProgress = nanoTime.getAsLong();
        return n;
      } catch (IOException e) {
        throw stalledOr(e);
      } finally {
        leave();
      }
    }

    @Override
    public long skip(long n) throws IOException {
      enter();
      try {
        long skipped = in.skip(n);
        lastProgress = nanoTime.getAsLong();
        return skipped;
      } catch (IOException e) {
        throw stalledOr(e);
      } finally {
        leave();
      }
    }

    private void enter() throws IOException {
      synchronized (lock) {
        if (expired) {
          throw stalled(null);
        }
        reader = Thread.currentThread();
      }
    }

    private void leave() {
      synchronized (lock) {
        reader = null;
        if (interruptedReader) {
          interruptedReader = false;
          Thread.interrupted(); // the interrupt was ours, to end the blocked read
        }
      }
    }

    private IOException stalledOr(IOException e) {
      synchronized (lock) {
        return expired ? stalled(e) : e;
      }
    }

    private IOException stalled(IOException cause) {
      return new IOException(what + " stalled: no data for " + idle, cause);
    }

    @Override
    public void close() throws IOException {
      synchronized (lock) {
        closed = true;
        check.cancel(false);
      }
      super.close();
    }
  }
}
