package dev.mesoskit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@link LotsOfTasksBenchmark} contender from several builds in one JVM, in turns: each
 * build's {@code benchmarks.jar} in a class loader of its own, the runs of each build timed by
 * the thread's CPU time, ten runs per sample, the builds alternating sample by sample so that
 * all see the same load. On a shared machine, where two JVMs run one after the other see
 * different loads, this compares a change against its baseline more steadily than
 * {@link LotsOfTasksCpuTime}. Prints each build's median and its ratio to the first build's.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.mesoskit.benchmarks.LotsOfTasksBeforeAfter mesoskitBinPack 60 before.jar after.jar}
 * (contender: a method of {@link LotsOfTasksBenchmark}; samples: the first third are warm-up).
 */
public final class LotsOfTasksBeforeAfter {
  private static final int RUNS_PER_SAMPLE = 10;

  private LotsOfTasksBeforeAfter() {}

  /** Prints the median CPU time per run of the contender in each build, and ratios. */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: LotsOfTasksBeforeAfter <contender> <samples> <benchmarks.jar>..., got "
              + Arrays.toString(args));
    }
    String contender = args[0];
    int samples = Integer.parseInt(args[1]);
    int builds = args.length - 2;
    Object[] benches = new Object[builds];
    Method[] runs = new Method[builds];
    for (int b = 0; b < builds; b++) {
      Path jar = Path.of(args[b + 2]);
      if (!Files.isReadable(jar)) {
        throw new IllegalArgumentException("no such jar: " + jar);
      }
      // The platform loader as parent: each build brings its own MesosKit, Fenzo and JMH.
      URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> type = loader.loadClass(LotsOfTasksBenchmark.class.getName());
      benches[b] = type.getDeclaredConstructor().newInstance();
      type.getMethod("setUp").invoke(benches[b]);
      runs[b] = type.getMethod(contender);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<List<Double>> millis = new ArrayList<>();
    double[] utilization = new double[builds];
    for (int b = 0; b < builds; b++) {
      millis.add(new ArrayList<>());
    }
    for (int s = 0; s < samples; s++) {
      for (int b = 0; b < builds; b++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int r = 0; r < RUNS_PER_SAMPLE; r++) {
          utilization[b] = (Double) runs[b].invoke(benches[b]);
        }
        double ms = (threads.getCurrentThreadCpuTime() - start) / 1e6 / RUNS_PER_SAMPLE;
        if (s >= samples / 3) {
          millis.get(b).add(ms);
        }
      }
    }
    System.out.printf("%s, thread CPU time per run, median of %d samples of %d runs after %d"
        + " warm-up samples, builds in turns in one JVM%n", contender, samples - samples / 3,
        RUNS_PER_SAMPLE, samples / 3);
    System.out.println("| build | CPU ms per run | ratio to the first | utilization |");
    System.out.println("|---|---|---|---|");
    double first = LotsOfTasksCpuTime.median(millis.get(0));
    for (int b = 0; b < builds; b++) {
      double ms = LotsOfTasksCpuTime.median(millis.get(b));
      System.out.printf("| %s | %.2f | %.3f | %.2f%% |%n", args[b + 2], ms, ms / first,
          utilization[b]);
    }
    Path load = Path.of("/proc/loadavg");
    if (Files.isReadable(load)) {
      System.out.println("load average: " + Files.readString(load).trim());
    }
  }
}
