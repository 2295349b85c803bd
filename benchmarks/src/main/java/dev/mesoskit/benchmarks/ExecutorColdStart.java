package dev.mesoskit.benchmarks;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.JavaExecutor;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The cold start of a MesosKit Java executor on a {@link LocalCluster}: N tasks launched one at a
 * time, each on a new executor JVM ({@link JavaExecutor}, started by the agent from the jar it
 * fetched into the executor's sandbox), measuring the time from the scheduler's LAUNCH (the task
 * turning {@code STAGING}) to {@code TASK_RUNNING}, and the CPU the executor process spent before
 * its task's code ran ({@link ColdStartExecutor} reads its own {@code /proc/self/stat} first
 * thing). Variants alternate launch by launch so that both see the same machine:
 *
 * <ul>
 *   <li>{@code before}: the executor as the SDK started it before its HTTP client to the agent
 *       skipped TLS ({@link dev.mesoskit.core.spi.PlainHttp}): {@link ColdStartExecutor} starts
 *       the JDK's default TLS first, as building that client did;
 *   <li>{@code nocds}: the SDK as it is, without class-data sharing;
 *   <li>{@code after}: the SDK as it is, with class-data sharing
 *       ({@link JavaExecutor.Builder#classDataSharing}), its archive trained once before the
 *       launches into a fresh cache (the training's CPU and the archive's size are printed);
 *   <li>{@code <label>=<jvm options>}: {@code before} with these JVM options, to try a flag
 *       ({@code after} or {@code nocds} with them when the label starts with that word);
 *   <li>{@code <variant>@<jar>}: any of these with another executor jar (e.g. a build from
 *       before a change), so that two builds are compared in one run.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.ExecutorColdStart \
 *     20 benchmarks/target/benchmarks-executor.jar before nocds after
 * }</pre>
 */
public final class ExecutorColdStart {
  private ExecutorColdStart() {}

  /**
   * Runs the benchmark.
   *
   * @param args launches per variant (default 20), the executor jar (default
   *     {@code benchmarks/target/benchmarks-executor.jar}), the variants (default
   *     {@code before nocds after})
   * @throws Exception when a launch fails
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path jar = Path.of(args.length > 1 ? args[1] : "benchmarks/target/benchmarks-executor.jar")
        .toAbsolutePath();
    List<String> variants = args.length > 2
        ? Arrays.asList(args).subList(2, args.length) : List.of("before", "nocds", "after");
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    variants.forEach(v -> samples.put(v, new ArrayList<>()));
    Map<TaskId, Long> staged = new ConcurrentHashMap<>();
    Map<TaskId, Long> running = new ConcurrentHashMap<>();
    Map<TaskId, Long> stagedWall = new ConcurrentHashMap<>();
    Map<TaskId, Long> runningWall = new ConcurrentHashMap<>();
    Map<String, List<long[]>> phases = new LinkedHashMap<>();
    variants.forEach(v -> phases.put(v, new ArrayList<>()));
    Map<TaskId, CompletableFuture<Task>> outcomes = new ConcurrentHashMap<>();
    Path work = Files.createTempDirectory("coldstart");
    Path cache = work.resolve("cds");
    for (String variant : variants) {
      JavaExecutor trained = executor(variant, jar, 0, cache);
      long cpuBefore = childrenCpuMillis();
      long t0 = System.nanoTime();
      java.util.Optional<Path> archive =
          trained.classDataArchive().get(3, TimeUnit.MINUTES);
      if (archive.isPresent()) {
        System.out.printf("%s: class-data archive trained in %.0f ms, %d ms of CPU (training"
            + " and check runs), %.1f MB%n", variant, (System.nanoTime() - t0) / 1e6,
            childrenCpuMillis() - cpuBefore, Files.size(archive.get()) / 1e6);
      }
    }
    try (LocalCluster cluster = LocalCluster.builder().agents(1).workDir(work.resolve("cluster"))
            .agentResources("cpus:8;mem:16384;disk:10000;ports:[31000-31999]").start();
        ArtifactServer artifacts = ArtifactServer.builder().directory(work.resolve("artifacts"))
            .bindAddress("127.0.0.1").advertisedHost("127.0.0.1").build().start();
        Framework fw = Framework.builder().name("executor-cold-start")
            .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
            .frameworkIdStore(FrameworkIdStore.inMemory())
            .retryPolicy(RetryPolicy.none())
            .refuse(Duration.ofMillis(10))
            .listener(t -> {
              long now = System.nanoTime();
              long wall = System.currentTimeMillis();
              if (t.state() == TaskState.STAGING) {
                staged.putIfAbsent(t.id(), now);
                stagedWall.putIfAbsent(t.id(), wall);
              } else if (t.state() == TaskState.RUNNING) {
                running.putIfAbsent(t.id(), now);
                runningWall.putIfAbsent(t.id(), wall);
              }
              if (t.done()) {
                outcomes.computeIfAbsent(t.id(), k -> new CompletableFuture<>()).complete(t);
              }
            })
            .build()) {
      fw.start();
      int warmUp = 2;
      int serial = 0;
      for (int round = 0; round < warmUp + count; round++) {
        for (String variant : variants) {
          serial++;
          ExecutorSpec executor = executor(variant, jar, serial, cache).publish(artifacts);
          TaskId id = fw.submit(TaskSpec.builder().id("t" + serial).name(variant)
              .resources("cpus:0.1;mem:16").executor(executor).build());
          Task outcome = outcomes.computeIfAbsent(id, k -> new CompletableFuture<>())
              .get(2, TimeUnit.MINUTES);
          if (outcome.state() != TaskState.FINISHED || outcome.resultText().isEmpty()) {
            throw new IllegalStateException(variant + ": task " + id + " ended " + outcome);
          }
          cluster.killExecutor(outcome.agentId().orElseThrow(), fw.frameworkId().orElseThrow(),
              executor.id());
          if (round >= warmUp) {
            Long from = staged.get(id);
            Long to = running.get(id);
            if (from == null || to == null) {
              throw new IllegalStateException("task " + id + " was not seen STAGING and RUNNING");
            }
            Map<String, Long> result = fields(outcome.resultText().get());
            samples.get(variant).add(new double[] {(to - from) / 1e6, result.get("cpu_ms")});
            if (result.containsKey("handler_ms")) {
              phases.get(variant).add(new long[] {
                  result.get("start_ms") - stagedWall.get(id),
                  result.get("main_ms") - result.get("start_ms"),
                  result.get("handler_ms") - result.get("main_ms"),
                  runningWall.get(id) - result.get("handler_ms")});
            }
          }
        }
      }
      fw.finish();
    }
    System.out.printf("executor cold start, %d launches per variant (after %d warm-up), one at a"
        + " time, jar %s (%.1f MB)%n", count, 2, jar.getFileName(), Files.size(jar) / 1e6);
    double[] base = null;
    for (Map.Entry<String, List<double[]>> e : samples.entrySet()) {
      double[] launch = e.getValue().stream().mapToDouble(s -> s[0]).sorted().toArray();
      double[] cpu = e.getValue().stream().mapToDouble(s -> s[1]).sorted().toArray();
      double[] row = {percentile(launch, 50), percentile(launch, 90), percentile(cpu, 50),
          percentile(cpu, 90)};
      if (base == null) {
        base = row;
      }
      System.out.printf("%-28s LAUNCH->RUNNING median %6.0f ms p90 %6.0f ms | executor CPU before"
          + " user code median %6.0f ms p90 %6.0f ms | ratio to %s: %.2f / %.2f%n", e.getKey(),
          row[0], row[1], row[2], row[3], variants.get(0), row[0] / base[0], row[2] / base[2]);
    }
    System.out.println("where the time to RUNNING goes (medians, ms; executors of builds that"
        + " report it): STAGING->process start (master, agent, fetch, spawn; 10 ms ticks) |"
        + " process start->main (JVM start) | main->user code (subscribe, launch) | user"
        + " code->RUNNING at the scheduler");
    for (Map.Entry<String, List<long[]>> e : phases.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("%-28s", e.getKey()));
      for (int i = 0; i < 4; i++) {
        int column = i;
        double[] sorted = e.getValue().stream().mapToDouble(p -> p[column]).sorted().toArray();
        line.append(String.format(" %6.0f", percentile(sorted, 50)));
      }
      System.out.println(line);
    }
    System.out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg"))
        .trim());
    deleteTree(work); // every sandbox holds a copy of the jar
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** CPU of this process' children that ended and were waited for, in milliseconds. */
  private static long childrenCpuMillis() throws java.io.IOException {
    String line = Files.readString(Path.of("/proc/self/stat"));
    String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10;
  }

  private static JavaExecutor executor(String variant, Path jar, int serial, Path cache) {
    int at = variant.indexOf('@');
    if (at >= 0) {
      // <variant>@<jar>: that variant with another build's executor jar, e.g. one from before
      // a change, so that both builds are measured in one run.
      jar = Path.of(variant.substring(at + 1)).toAbsolutePath();
      variant = variant.substring(0, at);
    }
    JavaExecutor.Builder b = JavaExecutor.builder().name("coldstart")
        .mainClass(ColdStartExecutor.class).jar(jar)
        // a new executor id, so a new executor JVM, for every launch
        .env("COLDSTART_LAUNCH", Integer.toString(serial));
    if (variant.equals("after")) {
      return b.classDataSharing(true).classDataCache(cache).build();
    }
    if (variant.equals("nocds")) {
      return b.build();
    }
    String baseline = "-D" + ColdStartExecutor.DEFAULT_TLS_PROPERTY + "=true";
    if (variant.equals("before")) {
      return b.jvmOptions(baseline).build();
    }
    int eq = variant.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("a variant is 'before', 'nocds', 'after' or"
          + " '<label>=<jvm options>' but was '" + variant + "'");
    }
    String label = variant.substring(0, eq);
    String options = variant.substring(eq + 1).trim();
    if (label.startsWith("after")) {
      return b.jvmOptions(options.split("\\s+")).classDataSharing(true).classDataCache(cache)
          .build();
    }
    if (label.startsWith("nocds")) {
      return b.jvmOptions(options.split("\\s+")).build();
    }
    return b.jvmOptions((baseline + " " + options).trim().split("\\s+")).build();
  }

  /** The {@code name=number} fields of a cold-start executor's result. */
  private static Map<String, Long> fields(String result) {
    Map<String, Long> fields = new LinkedHashMap<>();
    for (String part : result.trim().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
      }
    }
    if (!fields.containsKey("cpu_ms")) {
      throw new IllegalStateException("a cold-start executor's result without cpu_ms: " + result);
    }
    return fields;
  }

  private static double percentile(double[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
