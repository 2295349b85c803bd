package dev.mesoskit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * {@link LotsOfTasksBenchmark}'s runs, timed by the CPU time of the thread that runs them rather
 * than by the wall clock, for a machine shared with other work, where JMH's scores swing by more
 * than the differences measured. Each sample is the mean of five runs; the program prints the
 * median sample of each contender and its ratio to Fenzo's, all measured in one JVM, in turns.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.mesoskit.benchmarks.LotsOfTasksCpuTime [warm-up samples] [samples]}
 */
public final class LotsOfTasksCpuTime {
  private static final int RUNS_PER_SAMPLE = 5;

  private LotsOfTasksCpuTime() {}

  /** Prints the median CPU time per run of each contender and its ratio to Fenzo's. */
  public static void main(String[] args) throws Exception {
    int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    LotsOfTasksBenchmark bench = new LotsOfTasksBenchmark();
    bench.setUp();
    Map<String, DoubleSupplier> contenders = new LinkedHashMap<>();
    contenders.put("fenzoCpuMemBinPacker", bench::fenzoCpuMemBinPacker);
    contenders.put("mesoskitBinPack", bench::mesoskitBinPack);
    contenders.put("mesoskitFirstFit", bench::mesoskitFirstFit);
    contenders.put("mesoskitDotProduct", bench::mesoskitDotProduct);
    contenders.put("mesoskitL2Norm", bench::mesoskitL2Norm);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    Map<String, Double> utilization = new LinkedHashMap<>();
    for (int s = 0; s < warmups + samples; s++) {
      for (Map.Entry<String, DoubleSupplier> c : contenders.entrySet()) {
        // Fenzo takes about 40 times as long per run: one run per sample is enough for it.
        int runs = c.getKey().startsWith("fenzo") ? 1 : RUNS_PER_SAMPLE;
        long start = threads.getCurrentThreadCpuTime();
        double u = 0;
        for (int r = 0; r < runs; r++) {
          u = c.getValue().getAsDouble();
        }
        double ms = (threads.getCurrentThreadCpuTime() - start) / 1e6 / runs;
        if (s >= warmups) {
          millis.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(ms);
        }
        utilization.put(c.getKey(), u);
      }
    }
    double fenzo = median(millis.get("fenzoCpuMemBinPacker"));
    System.out.printf("%d tasks in batches of %d over %d hosts; thread CPU time per run, median of"
        + " %d samples after %d warm-up samples%n", LotsOfTasksBenchmark.TASKS,
        LotsOfTasksBenchmark.BATCH, LotsOfTasksBenchmark.HOSTS, samples, warmups);
    System.out.println(
        "| contender | CPU ms per run | tasks/s of CPU | ratio to Fenzo | utilization |");
    System.out.println("|---|---|---|---|---|");
    for (Map.Entry<String, List<Double>> e : millis.entrySet()) {
      double ms = median(e.getValue());
      System.out.printf("| %s | %.1f | %,.0f | %.1f | %.2f%% |%n", e.getKey(), ms,
          LotsOfTasksBenchmark.TASKS / (ms / 1000), fenzo / ms, utilization.get(e.getKey()));
    }
    Path load = Path.of("/proc/loadavg");
    if (Files.isReadable(load)) {
      System.out.println("load average: " + Files.readString(load).trim());
    }
  }

  /** The median of {@code values}: the mean of the middle two for an even count. */
  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
