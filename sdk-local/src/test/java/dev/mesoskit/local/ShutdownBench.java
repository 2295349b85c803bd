package dev.mesoskit.local;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * How long N trivial command tasks take on a {@link LocalCluster}, how much of their sandboxes
 * is left when they are done, and how long {@link LocalCluster#close()} then takes (issue #19).
 * A benchmark to run by hand, not a test:
 *
 * <pre>{@code
 * ./mvnw -B -o -q -pl sdk-local test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cp -Dmdep.includeScope=test
 * java -cp sdk-local/target/test-classes:sdk-local/target/classes:$(cat /tmp/cp) \
 *     -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
 *     -Dorg.slf4j.simpleLogger.log.dev.mesoskit.local.LocalCluster=info \
 *     dev.mesoskit.local.ShutdownBench 5000 PT10M
 * }</pre>
 *
 * <p>Arguments: the number of tasks (default 5000), the sandboxes' gc delay (ISO-8601, default
 * the cluster's) and the gc disk headroom (default the cluster's). The sandboxes are written to
 * disk ({@code sync}) before the close is timed, as they would be after a run of some minutes.
 */
public final class ShutdownBench {
  private ShutdownBench() {}

  /**
   * Runs the benchmark and prints one line of results.
   *
   * @param args task count, gc delay, gc disk headroom
   * @throws Exception when the run fails
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    LocalCluster.Builder builder = LocalCluster.builder().agents(2)
        .agentResources("cpus:8;mem:8192;disk:10240;ports:[31000-31999]");
    if (args.length > 1) {
      builder.gcDelay(Duration.parse(args[1]));
    }
    if (args.length > 2) {
      builder.gcDiskHeadroom(Double.parseDouble(args[2]));
    }
    LocalCluster cluster = builder.start();
    AtomicInteger finished = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    long start = System.nanoTime();
    try (Framework fw = Framework.builder().name("shutdown-bench")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RetryPolicy.none())
        .refuse(Duration.ofMillis(100))
        .listener(t -> {
          if (t.done()) {
            if (t.state() == TaskState.FINISHED) {
              finished.incrementAndGet();
            }
            done.countDown();
          }
        })
        .build()) {
      fw.start();
      for (int i = 0; i < count; i++) {
        fw.submit(TaskSpec.builder().id("t" + i).name("t" + i).resources("cpus:0.01;mem:1")
            .command("true").build());
      }
      done.await();
      fw.finish(Duration.ofSeconds(30));
    }
    double runSeconds = (System.nanoTime() - start) / 1e9;
    long sandboxes = count(cluster.workDir());
    long kb = diskUsageKb(cluster.workDir());
    // As after a long run: deleting files that are still only in the page cache costs far less.
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    long closing = System.nanoTime();
    cluster.close();
    double closeSeconds = (System.nanoTime() - closing) / 1e9;
    System.out.printf("tasks=%d finished=%d run_s=%.1f sandboxes_left=%d work_dir_kb=%d"
        + " close_s=%.2f work_dir_removed=%s%n", count, finished.get(), runSeconds, sandboxes, kb,
        closeSeconds, !Files.exists(cluster.workDir()));
  }

  /** The run directories under an agents' work directory. */
  private static long count(Path workDir) throws IOException {
    try (Stream<Path> paths = Files.walk(workDir)) {
      return paths.filter(p -> p.getParent() != null
          && p.getParent().getFileName().toString().equals("runs")).count();
    }
  }

  /** {@code du -sk}: the space the work directory takes on disk, directories included. */
  private static long diskUsageKb(Path dir) throws IOException, InterruptedException {
    Process du = new ProcessBuilder("du", "-sk", dir.toString()).start();
    String out = new String(du.getInputStream().readAllBytes()).strip();
    du.waitFor(60, TimeUnit.SECONDS);
    return out.isEmpty() ? -1 : Long.parseLong(out.split("\\s+")[0]);
  }
}
