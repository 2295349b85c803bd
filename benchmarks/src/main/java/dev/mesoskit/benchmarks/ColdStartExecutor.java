package dev.mesoskit.benchmarks;

import dev.mesoskit.core.executor.ExecutorMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The executor of {@link ExecutorColdStart}: the first thing its task does is read the CPU time
 * its own process has spent so far (user + system, from {@code /proc/self/stat}) and return it as
 * the task's result, {@code cpu_ms=<milliseconds>}: the CPU an executor JVM spends before it runs
 * user code.
 */
public final class ColdStartExecutor {
  /**
   * The system property that starts the JDK's default TLS first, as building the executor's HTTP
   * client did before {@link dev.mesoskit.core.spi.PlainHttp}: {@link ExecutorColdStart}'s
   * baseline.
   */
  static final String DEFAULT_TLS_PROPERTY = "coldstart.default-tls";

  private ColdStartExecutor() {}

  /**
   * Runs until the agent shuts the executor down.
   *
   * @param args passed to {@link ExecutorMain}
   * @throws Exception when the JDK's default TLS cannot start, with the baseline's property
   */
  public static void main(String[] args) throws Exception {
    long mainMs = System.currentTimeMillis();
    long sinceStartMs = sinceProcessStartMillis();
    if (Boolean.getBoolean(DEFAULT_TLS_PROPERTY)) {
      // What the SDK's executor did before it gave its agent client a context without TLS.
      javax.net.ssl.SSLContext.getDefault();
    }
    System.exit(ExecutorMain.run(args, ctx -> {
      long cpuMs = ownCpuMillis();
      long handlerMs = System.currentTimeMillis();
      ctx.result("cpu_ms=" + cpuMs + " start_ms=" + (mainMs - sinceStartMs) + " main_ms=" + mainMs
          + " handler_ms=" + handlerMs);
      System.err.println("cpu_ms=" + cpuMs + " launch=" + System.getenv("COLDSTART_LAUNCH")
          + " by thread: " + threadCpuMillis());
    }));
  }

  /** Each thread's CPU so far, in milliseconds, the busiest first: where the start went. */
  static String threadCpuMillis() {
    java.util.List<String> rows = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        String line = Files.readString(t.resolve("stat"));
        String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        if (ms > 0) {
          rows.add(String.format("%06d %s=%d", ms, name, ms));
        }
      }
    } catch (IOException e) {
      return "unknown (" + e + ")";
    }
    rows.sort(java.util.Comparator.reverseOrder());
    return String.join(", ", rows.stream().map(r -> r.substring(7)).toList());
  }

  /**
   * Milliseconds since this process started (its start time from {@code /proc/self/stat} against
   * the system's uptime from {@code /proc/uptime}; both in clock ticks of 10 ms), or -1 when
   * either cannot be read.
   */
  static long sinceProcessStartMillis() {
    try {
      String line = Files.readString(Path.of("/proc/self/stat"));
      String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
      long startTicks = Long.parseLong(f[19]);
      String uptime = Files.readString(Path.of("/proc/uptime")).trim().split(" ")[0];
      return Math.round(Double.parseDouble(uptime) * 1000) - startTicks * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** User + system CPU of this process, in milliseconds (clock ticks of 10 ms). */
  static long ownCpuMillis() {
    String line;
    try {
      line = Files.readString(Path.of("/proc/self/stat"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/stat", e);
    }
    String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }
}
