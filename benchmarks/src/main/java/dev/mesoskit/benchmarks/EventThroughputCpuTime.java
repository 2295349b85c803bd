package dev.mesoskit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link EventThroughputBenchmark}'s runs, timed by the CPU time each thread spends per event
 * rather than by the wall clock, for a machine shared with other work: the ceiling's thread, and
 * for the real path the decoding thread (the one that feeds the records, as the HTTP client's
 * thread does) and the framework's event thread. Each sample is {@code RUNS} runs of 20,000
 * events; the program prints the minimum and the median sample of each contender, in turns in
 * one JVM, and the ratios to the ceiling: ceiling / decoding thread (the rate when the two
 * threads run on two free cores) and ceiling / both threads (on one core).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.mesoskit.benchmarks.EventThroughputCpuTime [warm-up samples] [samples]}
 */
public final class EventThroughputCpuTime {
  private static final int RUNS = 5;
  private static final String EVENT_THREAD = "mesoskit-bench-events";

  private EventThroughputCpuTime() {}

  /** Prints CPU ns per event of each thread of each contender, and the ratios. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 11;
    EventThroughputBenchmark bench = new EventThroughputBenchmark();
    bench.setUp();
    Map<String, LongSupplier> contenders = new LinkedHashMap<>();
    contenders.put("ceiling (parseDelimitedFrom)", () -> {
      try {
        return bench.parseDelimitedFromCeiling();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    contenders.put("parsed, then converted (as before)", () -> bench.run(false));
    contenders.put("decoded from the wire format", () -> bench.run(true));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<double[]>> perEvent = new LinkedHashMap<>();
    int events = EventThroughputBenchmark.EVENTS * RUNS;
    try {
      for (int s = 0; s < warmups + samples; s++) {
        for (Map.Entry<String, LongSupplier> c : contenders.entrySet()) {
          long own = threads.getCurrentThreadCpuTime();
          long loop = eventThreadCpu(threads);
          for (int r = 0; r < RUNS; r++) {
            c.getValue().getAsLong();
          }
          double ownNs = (threads.getCurrentThreadCpuTime() - own) / (double) events;
          double loopNs = (eventThreadCpu(threads) - loop) / (double) events;
          if (s >= warmups) {
            perEvent.computeIfAbsent(c.getKey(), k -> new ArrayList<>())
                .add(new double[] {ownNs, loopNs});
          }
        }
      }
    } finally {
      bench.tearDown();
    }
    System.out.printf("CPU ns per event, %d samples of %d events after %d warm-up samples"
        + " (min / median)%n", samples, events, warmups);
    System.out.println("| contender | decoding thread | event thread | both |"
        + " ceiling / decoding | ceiling / both |");
    System.out.println("|---|---|---|---|---|---|");
    double[] ceiling = null;
    for (Map.Entry<String, List<double[]>> e : perEvent.entrySet()) {
      double[] own = column(e.getValue(), 0);
      double[] loop = column(e.getValue(), 1);
      double[] both = new double[own.length];
      for (int i = 0; i < both.length; i++) {
        both[i] = e.getValue().get(i)[0] + e.getValue().get(i)[1];
      }
      Arrays.sort(both);
      if (ceiling == null) {
        ceiling = own.clone();
      }
      System.out.printf("| %s | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.2f / %.2f |"
          + " %.2f / %.2f |%n", e.getKey(), own[0], median(own), loop[0], median(loop), both[0],
          median(both), ceiling[0] / own[0], median(ceiling) / median(own),
          ceiling[0] / both[0], median(ceiling) / median(both));
    }
    Path load = Path.of("/proc/loadavg");
    if (Files.isReadable(load)) {
      System.out.println("load average: " + Files.readString(load).trim());
    }
  }

  /** CPU time of the framework's event thread so far; 0 before it started. */
  private static long eventThreadCpu(ThreadMXBean threads) {
    long total = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().equals(EVENT_THREAD)) {
        total += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return total;
  }

  private static double[] column(List<double[]> rows, int i) {
    double[] c = rows.stream().mapToDouble(r -> r[i]).toArray();
    Arrays.sort(c);
    return c;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
