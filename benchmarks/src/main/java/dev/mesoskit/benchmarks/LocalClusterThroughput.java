package dev.mesoskit.benchmarks;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tasks per second through a Framework on the HTTP backend and a local cluster running in
 * another process (so this JVM's heap is the scheduler's alone), and the scheduler's heap.
 *
 * <p>Run: start the cluster, then the benchmark against it:
 * <pre>{@code
 * java -jar sdk-local/target/mesoskit-local.jar --port 5050 --agents 2 \
 *     --resources "cpus:8;mem:8192;disk:1000;ports:[31000-31999]" &
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.LocalClusterThroughput \
 *     127.0.0.1:5050 10000 command
 * }</pre>
 * The third argument is {@code command} (every task a {@code true} shell command) or
 * {@code executor} (every task handled by one long-lived custom executor per agent, started from
 * this jar); the fourth {@code id} (the framework id alone, in memory: the default of this
 * benchmark) or {@code file} (a file state store in a fresh temporary directory: every task
 * written before its launch and its outcome before its acknowledgement, with fsync).
 *
 * <p>Besides tasks/s it prints the scheduler's heap: the most used at any sample (mostly garbage
 * not yet collected), the most live after any collection during the run (what the scheduler
 * retains while tasks are in flight), and after a full GC at the end; its CPU per task; and
 * where each task's time went, from the scheduler's view ({@link StageTimes}).
 */
public final class LocalClusterThroughput {
  private LocalClusterThroughput() {}

  /** This process's CPU time (user and system), in nanoseconds. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Runs the benchmark.
   *
   * @param args master, task count, mode, store
   * @throws Exception when the run fails
   */
  public static void main(String[] args) throws Exception {
    String master = args.length > 0 ? args[0] : "127.0.0.1:5050";
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    String mode = args.length > 2 ? args[2] : "command";
    String store = args.length > 3 ? args[3] : "id";
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peakHeap = new AtomicLong();
    LiveHeap live = LiveHeap.watch();
    StageTimes stages = new StageTimes(count);
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    Framework.Builder builder = Framework.builder();
    if (store.equals("file")) {
      builder.stateStore(dev.mesoskit.core.spi.StateStore.file(
          java.nio.file.Files.createTempDirectory("mesoskit-throughput-state")));
    } else {
      builder.frameworkIdStore(FrameworkIdStore.inMemory());
    }
    Framework fw = builder
        .name("throughput-" + mode + "-" + store)
        .backend(Backends.fromArgs("--master=" + master))
        .retryPolicy(RetryPolicy.none())
        .refuse(Duration.ofMillis(100))
        .listener(t -> {
          stages.saw(t);
          if (t.done()) {
            (t.state() == TaskState.FINISHED ? finished : failed).incrementAndGet();
            done.countDown();
          }
        })
        .build();
    fw.start();
    // One long-lived executor per agent, started from this very jar on the agent's host.
    String jar = java.nio.file.Paths.get(LocalClusterThroughput.class.getProtectionDomain()
        .getCodeSource().getLocation().toURI()).toString();
    ExecutorSpec executor = new ExecutorSpec("noop", "noop executor",
        CommandSpec.builder().exec(java.nio.file.Paths.get(System.getProperty("java.home"), "bin",
            "java").toString(), "-Xmx64m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp", jar, NoopExecutor.class.getName()).build(),
        ResourceSpec.of(0.1, 64));
    long start = System.nanoTime();
    long cpuStart = cpuNanos();
    stages.start(start);
    for (int i = 0; i < count; i++) {
      TaskSpec.Builder spec = TaskSpec.builder().id("t" + i).name("t" + i)
          .resources("cpus:0.01;mem:1");
      if (mode.equals("command")) {
        spec.command("true");
      } else if (mode.equals("executor")) {
        spec.executor(executor);
      } else {
        throw new IllegalArgumentException(
            "mode must be 'command' or 'executor' but was '" + mode + "'");
      }
      fw.submit(spec.build());
      stages.submitted(i);
      if (i % 500 == 0) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      }
    }
    while (!done.await(200, TimeUnit.MILLISECONDS)) {
      peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
    long peakLive = live.peakBytes();
    int gcs = live.collections();
    System.gc();
    long retained = memory.getHeapMemoryUsage().getUsed();
    fw.finish();
    fw.awaitTermination(Duration.ofSeconds(30));
    System.out.printf("store=" + store + " mode=%s tasks=%d finished=%d failed=%d seconds=%.1f tasks_per_second=%.0f"
        + " peak_heap_mb=%.0f heap_after_gc_mb=%.0f%n", mode, count, finished.get(), failed.get(),
        seconds, count / seconds, peakHeap.get() / 1e6, retained / 1e6);
    System.out.printf("scheduler_cpu_seconds=%.1f scheduler_cpu_ms_per_task=%.2f"
        + " peak_heap_after_gc_mb=%.0f young_and_full_gcs=%d%n", cpuSeconds,
        cpuSeconds * 1000 / count, peakLive / 1e6, gcs);
    System.out.println(stages.report());
    live.close();
    Task sample = fw.tasks().get(0);
    System.out.println("sample " + sample.id() + " " + sample.state() + " on " + sample.agentId());
  }
}
