package dev.mesoskit.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools for the JDK {@link java.net.http.HttpClient}s of the SDK and its plug-ins.
 *
 * <p>Why: without an executor of its own, a JDK HTTP client runs its response handling on a
 * cached thread pool; and {@code HttpClient.sendAsync} completes its future on
 * {@code CompletableFuture}'s default async executor, which starts a new thread per task when the
 * common pool has a single thread (machines with two cores): the image-invert benchmark's JVM
 * started about 780 threads for 200 tasks, 710 of them for that. A pool from here, given to the
 * client with {@code HttpClient.Builder.executor} and used to run blocking {@code send} calls
 * instead of {@code sendAsync}, has a fixed maximum of threads, queues what exceeds it, and lets
 * idle threads end, so an idle client holds no thread.
 *
 * <pre>{@code
 * HttpClient client = HttpClient.newBuilder()
 *     .executor(ClientThreads.bounded("mesoskit-http", 2, Duration.ofSeconds(30)))
 *     .build();
 * }</pre>
 *
 * <p>Threading: the returned executor is safe for use from any thread; its threads are daemons,
 * so a forgotten client does not keep the JVM alive.
 */
public final class ClientThreads {
  private ClientThreads() {}

  /**
   * A pool of at most {@code threads} daemon threads named {@code <name>-<n>}; tasks beyond that
   * wait in an unbounded queue, and a thread idle for {@code idle} ends.
   *
   * @param name the threads' name prefix
   * @param threads the most threads at once, at least 1
   * @param idle how long an idle thread lives, positive
   * @return the executor; shut it down when its client is no longer used, or let it idle out
   * @throws IllegalArgumentException when {@code threads} is below 1 or {@code idle} not positive
   * @throws NullPointerException when {@code name} or {@code idle} is null
   */
  public static ExecutorService bounded(String name, int threads, Duration idle) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(idle, "idle must not be null");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
    }
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("idle must be positive but was " + idle);
    }
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, idle.toNanos(),
        TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
