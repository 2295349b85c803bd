package dev.mesoskit.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * What it costs the JVM to learn that a process ended: {@code Process.onExit().thenRunAsync} on a
 * cached pool (the local agent before the thirteenth session) against a thread of that pool that
 * waits with {@code waitFor()} (sdk-local's {@code ProcessExits}). Each round starts
 * {@code STARTS} processes of {@code /bin/sh -c true}, 16 at a time, and prints the JVM's own CPU
 * per start (its children's not counted) and how many threads it started. On a machine with
 * fewer than 3 cores {@code onExit()} starts one thread per process. Run with the standalone
 * cluster's process start ({@code -Djdk.lang.Process.launchMechanism=VFORK}):
 *
 * <p>{@code java -Djdk.lang.Process.launchMechanism=VFORK -cp benchmarks/target/benchmarks.jar
 * dev.mesoskit.benchmarks.ProcessExitCost [starts] [rounds]}
 */
public final class ProcessExitCost {
  private ProcessExitCost() {}

  /** Prints, per round and way, the JVM's CPU per start; then the ratio of the medians. */
  public static void main(String[] args) throws Exception {
    int starts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "exit-cost");
      t.setDaemon(true);
      return t;
    });
    double[] onExit = new double[rounds];
    double[] waiting = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      onExit[r] = round(pool, starts, true, r);
      waiting[r] = round(pool, starts, false, r);
    }
    pool.shutdown();
    double a = median(onExit);
    double b = median(waiting);
    System.out.printf("median JVM CPU per start: onExit %.3f ms, waitFor on the pool %.3f ms,"
        + " ratio %.2f%n", a, b, b / a);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double round(ExecutorService pool, int starts, boolean useOnExit, int round)
      throws Exception {
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Semaphore inFlight = new Semaphore(16);
    CountDownLatch done = new CountDownLatch(starts);
    long threads0 = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    long cpu0 = os.getProcessCpuTime();
    for (int i = 0; i < starts; i++) {
      inFlight.acquire();
      Process p = new ProcessBuilder("/bin/sh", "-c", "true")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Runnable end = () -> {
        inFlight.release();
        done.countDown();
      };
      if (useOnExit) {
        p.onExit().thenRunAsync(end, pool);
      } else {
        pool.execute(() -> {
          try {
            p.waitFor();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          end.run();
        });
      }
    }
    done.await();
    double ms = (os.getProcessCpuTime() - cpu0) / 1e6 / starts;
    long threads = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - threads0;
    System.out.printf("round %d %-8s JVM CPU %.3f ms per start, %d threads started%n", round,
        useOnExit ? "onExit" : "waitFor", ms, threads);
    return ms;
  }
}
