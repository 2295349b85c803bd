package dev.mesoskit.tutorial.chapter9;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.metrics.FrameworkMetrics;
import dev.mesoskit.metrics.MetricsServer;
import dev.mesoskit.status.StatusPage;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Chapter 9's program: a small batch (two tasks that finish, one that fails once and finishes on
 * its retry) with its metrics served in Prometheus' format and a live status page. It prints both
 * addresses, keeps them up for {@code --linger-seconds} after the batch (default 0), and returns
 * the last scrape of its metrics.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter9.Operating --master=local --linger-seconds=60
 * </pre>
 */
public final class Operating {
  private Operating() {}

  /**
   * Runs the batch and exits 0.
   *
   * @param args {@code --master=...}, the other options of {@link Backends#fromArgs}, and
   *     {@code --linger-seconds=N}
   * @throws IOException if the temporary marker directory cannot be made
   * @throws InterruptedException if interrupted while lingering
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    run(System.out, args);
    System.exit(0);
  }

  /**
   * Runs the batch with metrics and a status page.
   *
   * @param out where the addresses and the outcomes are printed
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   * @return the metrics as Prometheus text, scraped after the batch
   * @throws IOException if the temporary marker directory cannot be made
   * @throws InterruptedException if interrupted while lingering
   */
  public static String run(PrintStream out, String... args)
      throws IOException, InterruptedException {
    Duration linger = Duration.ZERO;
    List<String> backendArgs = new java.util.ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--linger-seconds=")) {
        linger = Duration.ofSeconds(Long.parseLong(arg.substring("--linger-seconds=".length())));
      } else {
        backendArgs.add(arg);
      }
    }
    Path marker = Files.createTempDirectory("operating").resolve("flaky-failed-once");
    // tutorial:begin monitoring
    FrameworkMetrics metrics = FrameworkMetrics.prometheus();  // or FrameworkMetrics.on(registry)
    StatusPage page = StatusPage.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))          // 0: any free port
        .build();
    Framework.Builder builder = Framework.builder()
        .name("operated")
        .backend(Backends.fromArgs(backendArgs.toArray(String[]::new)))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RetryPolicy.builder().maxAttempts(2)
            .initialBackoff(Duration.ofMillis(100)).build())
        .observer(metrics).listener(metrics).frameworkListener(metrics);
    page.attach(builder);                                       // listener, observer
    // tutorial:end monitoring
    try (Framework framework = builder.build();
         MetricsServer server = metrics.serve(new InetSocketAddress("127.0.0.1", 0));
         page) {
      // tutorial:begin serve
      out.println("status page: " + page.start());
      page.watch(framework);                                    // pending reasons, live
      out.println("metrics: " + server.uri());
      // tutorial:end serve
      framework.start();
      List<TaskId> ids = List.of(
          framework.submit(task("ok-1", "true")),
          framework.submit(task("ok-2", "true")),
          framework.submit(task("flaky",
              "if [ -e " + marker + " ]; then exit 0; else touch " + marker + "; exit 1; fi")));
      for (TaskId id : ids) {
        Task task = framework.outcome(id).join();
        out.println(task.name() + " " + task.state() + " after " + task.attempt() + " attempt(s)");
      }
      Thread.sleep(linger.toMillis());
      framework.finish();
      framework.awaitTermination();
      return metrics.scrape();
    }
  }

  private static TaskSpec task(String name, String shellLine) {
    return TaskSpec.builder().name(name).resources("cpus:0.1;mem:32").command(shellLine).build();
  }
}
